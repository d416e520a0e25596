/**
 * The parts of the docs that are made from the code: the command reference
 * (from the command table) and the configuration keys (from the config
 * table). `deno task docs` writes them into docs/commands.md and
 * docs/configuration.md between their markers; a test fails when the files
 * and the tables disagree.
 *
 * @module
 */
import { COMMANDS, syntax } from "../lib/engine/commands.ts";
import type { Scope } from "../lib/engine/types.ts";
import { CONFIG_KEYS, type ConfigKey } from "../lib/app/config.ts";

const cell = (text: string) => text.replace(/\|/g, "\\|");

function commandTable(scope: Scope, sigil: string): string {
  const rows = COMMANDS.filter((c) => c.scope === scope).map((c) => {
    const forms = c.words.map((w) => `\`${syntax(c, w, "TRACK", sigil)}\``).join(" or ");
    return `| ${cell(forms)} | ${cell(c.doc)} |`;
  });
  return ["| command | what it does |", "| --- | --- |", ...rows].join("\n");
}

/** The command reference: one table per kind of user. */
export function commandsReference(): string {
  return [
    "### Everyone",
    "",
    "In a private message to the bot (with or without `+`), or in the channel with `+` in front " +
    "(`#in`, `#out`, `#seen`, `#subscribe`, `#unsubscribe`, `#follow`, `#unfollow` and `#following` work " +
    "there too). Following tracks, reminders and their guarantees: [reminders](reminders.md).",
    "",
    commandTable("user", "+"),
    "",
    "### Track moderators",
    "",
    "In the channel: `#TRACK` and the command. Anyone in the channel may use them, unless an operator said " +
    "`~requirevoice` (then `+v` or `+o`).",
    "",
    commandTable("track", ""),
    "",
    "### Channel operators (`+o`)",
    "",
    commandTable("admin", ""),
  ].join("\n");
}

/** The configuration keys with their defaults. */
export function configReference(): string {
  const rows = Object.entries(CONFIG_KEYS as Record<string, ConfigKey>).map(([key, spec]) => {
    const fallback = spec.default !== undefined
      ? `\`${JSON.stringify(spec.default)}\``
      : spec.defaultText ?? "—";
    return `| \`${key}\` | ${cell(fallback)} | ${cell(spec.doc)} |`;
  });
  return ["| key | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The generated parts and where they go. */
export const GENERATED: { file: string; name: string; make: () => string }[] = [
  { file: "docs/commands.md", name: "commands", make: commandsReference },
  { file: "docs/configuration.md", name: "config", make: configReference },
];

const begin = (name: string) => `<!-- generated: ${name} (deno task docs) -->`;
const end = (name: string) => `<!-- end: ${name} -->`;

/** The text between a generated part's markers, or undefined when the markers are missing. */
export function generatedPart(text: string, name: string): string | undefined {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from < 0 || to < from) return undefined;
  return text.slice(from + begin(name).length, to).trim();
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url);
  for (const { file, name, make } of GENERATED) {
    const path = new URL(file, root);
    const text = await Deno.readTextFile(path);
    const from = text.indexOf(begin(name));
    const to = text.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`${file}: no markers for ${name}`);
    await Deno.writeTextFile(
      path,
      `${text.slice(0, from + begin(name).length)}\n\n${make()}\n\n${text.slice(to)}`,
    );
    console.log(`wrote ${file} (${name})`);
  }
}
