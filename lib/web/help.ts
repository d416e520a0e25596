/**
 * The page's "How to use the bot" section, written from the command table so
 * that it always lists what the bot understands.
 *
 * @module
 */
import { COMMANDS, type CommandSpec, syntax } from "../engine/commands.ts";
import type { Scope } from "../engine/types.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

/** A doc line with its `code` spans as <code>. */
function prose(text: string): string {
  return text.split("`").map((part, i) => (i % 2 ? `<code>${escape(part)}</code>` : escape(part))).join("");
}

function item(spec: CommandSpec): string {
  const forms = spec.words.map((w) => `<code>${escape(syntax(spec, w, "TRACK", "+"))}</code>`).join(" or ");
  return `<li>${forms}: ${prose(spec.doc)}</li>`;
}

const GROUPS: [Scope, string, string][] = [
  ["user", "Everyone", "In the channel with a <code>+</code> in front, or in a private message to the bot:"],
  ["track", "Track moderators", "In the channel, for a track:"],
  ["admin", "Channel operators", "In the channel, for people with <code>+o</code>:"],
];

/** The help section's inner HTML: one column per kind of user; operators' commands folded away. */
export function helpHtml(): string {
  return GROUPS.map(([scope, title, intro]) => {
    const list = `<p>${intro}</p><ul>${COMMANDS.filter((c) => c.scope === scope).map(item).join("")}</ul>`;
    return scope === "admin"
      ? `<div><details><summary><h3>${title}</h3></summary>${list}</details></div>`
      : `<div><h3>${title}</h3>${list}</div>`;
  }).join("\n");
}
