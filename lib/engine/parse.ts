/** Turning a line of text into a command: the grammar of the spec, nothing about state. */
import { MOTD_LEVELS, type MotdLevel } from "../state/model.ts";
import type { AdminAction, Command, Parsed, TrackAction } from "./types.ts";

const USER_WORDS = new Set(["in", "out", "seen", "subscribe", "unsubscribe"]);
const TRACK_VERBS = "now, next, clean, etherpad, url, color, location, book, unbook";

/** Shortens what a user typed before echoing it in a reply. */
export function quote(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function rest(words: string[], from: number): string {
  return words.slice(from).join(" ");
}

function user(words: string[], name: string): Parsed {
  const arg = rest(words, 1);
  let command: Command;
  switch (name) {
    case "in":
      if (!arg) return { scope: "user", error: "Usage: in #TRACK or in LOCATION" };
      command = { kind: "in", where: arg };
      break;
    case "out":
      command = { kind: "out" };
      break;
    case "seen":
      if (words.length !== 2) return { scope: "user", error: "Usage: seen NICK" };
      command = { kind: "seen", nick: words[1] };
      break;
    case "subscribe":
      command = arg ? { kind: "subscribe", pattern: arg } : { kind: "subscribe" };
      break;
    default:
      command = { kind: "unsubscribe" };
  }
  return { scope: "user", command };
}

function track(words: string[], name: string): Parsed {
  const verb = (words[1] ?? "").toLowerCase();
  const arg = rest(words, 2);
  const err = (error: string): Parsed => ({ scope: "track", error });
  const ok = (action: TrackAction): Parsed => ({
    scope: "track",
    command: { kind: "track", track: name, action },
  });
  if (!verb) return err(`Missing command after #${quote(name)}; try: ${TRACK_VERBS}`);
  switch (verb) {
    case "now":
    case "next":
      return arg ? ok({ verb, topic: arg }) : err(`Usage: #${name} ${verb} TOPIC`);
    case "clean":
    case "clear":
      return ok({ verb: "clean" });
    case "etherpad":
    case "url":
    case "color":
    case "colour":
    case "location": {
      const v = verb === "colour" ? "color" : verb;
      const usage: Record<string, string> = {
        etherpad: "URL or auto",
        url: "URL or none",
        color: "COLOR",
        location: "TEXT",
      };
      return arg ? ok({ verb: v, value: arg }) : err(`Usage: #${name} ${v} ${usage[v]}`);
    }
    case "book":
    case "unbook":
      return arg
        ? ok({ verb, code: arg })
        : err(`Usage: #${name} ${verb} ROOM-SLOT (codes are on the schedule page)`);
    default:
      return err(
        `Unknown command "${quote(words[1], 20)}" for #${quote(name)}; did you mean ` +
          `"#${quote(name)} now ${quote(rest(words, 1), 40)}"? Commands: ${TRACK_VERBS}`,
      );
  }
}

function motd(words: string[]): AdminAction | string {
  const sub = (words[1] ?? "").toLowerCase();
  const usage = "Usage: ~motd add LEVEL MESSAGE | ~motd del N | ~motd clean | ~motd reorder X Y…";
  switch (sub) {
    case "add": {
      const level = (words[2] ?? "").toLowerCase();
      if (!(MOTD_LEVELS as readonly string[]).includes(level)) {
        return `LEVEL must be one of ${MOTD_LEVELS.join(", ")}; ${usage}`;
      }
      const message = rest(words, 3);
      if (!message) return "Usage: ~motd add LEVEL MESSAGE";
      return { verb: "motd-add", level: level as MotdLevel, message };
    }
    case "del": {
      if (words.length !== 3 || !/^\d{1,4}$/.test(words[2])) return "Usage: ~motd del N";
      return { verb: "motd-del", index: Number(words[2]) };
    }
    case "clean":
      return { verb: "motd-clean" };
    case "reorder": {
      const order = words.slice(2);
      if (!order.length || !order.every((w) => /^\d{1,4}$/.test(w))) {
        return "Usage: ~motd reorder X Y [Z…] (banner numbers, from 1)";
      }
      return { verb: "motd-reorder", order: order.map(Number) };
    }
    default:
      return usage;
  }
}

function admin(words: string[], name: string): Parsed {
  const err = (error: string): Parsed => ({ scope: "admin", error });
  const ok = (action: AdminAction): Parsed => ({ scope: "admin", command: { kind: "admin", action } });
  const args = words.slice(1);
  switch (name) {
    case "list":
    case "newday":
    case "emptydb":
    case "requirevoice":
    case "alloweveryone":
      return ok({ verb: name });
    case "add":
    case "del":
    case "clean":
      return args.length
        ? ok({ verb: name, tracks: args.map((t) => t.replace(/^#/, "").toLowerCase()) })
        : err(`Usage: ~${name} TRACK [TRACK…]`);
    case "motd": {
      const action = motd(words);
      return typeof action === "string" ? err(action) : ok(action);
    }
    case "fetchdb":
      return args.length === 1 ? ok({ verb: "fetchdb", url: args[0] }) : err("Usage: ~fetchdb URL");
    default:
      return err(
        `Unknown admin command "~${quote(name, 20)}"; try: list, add, del, clean, newday, motd, ` +
          "emptydb, fetchdb, requirevoice, alloweveryone",
      );
  }
}

const HELP: Parsed = { scope: "user", command: { kind: "help" } };

/**
 * Parses a line said in the channel. Returns undefined for chatter the bot
 * ignores.
 */
export function parseChannelLine(line: string): Parsed | undefined {
  const words = line.trim().split(/\s+/);
  const first = words[0];
  if (first.length < 2) return undefined;
  const sigil = first[0];
  const name = first.slice(1).toLowerCase();
  if (sigil !== "~" && sigil !== "+" && sigil !== "#") return undefined;
  if (name === "help") return HELP;
  if (sigil === "~") return admin(words, name);
  if (USER_WORDS.has(name)) return user(words, name);
  if (sigil === "#") return track(words, name);
  return undefined; // "+1" and friends are chatter
}

/** Parses a private message: user commands with or without `+`/`#`. */
export function parsePrivateLine(line: string): Parsed {
  const words = line.trim().split(/\s+/);
  const first = words[0] ?? "";
  const name = first.replace(/^[+#]/, "").toLowerCase();
  if (name === "help") return HELP;
  if (USER_WORDS.has(name)) return user(words, name);
  if (first.startsWith("~")) {
    return { scope: "user", error: "Admin commands work in the channel only" };
  }
  if (first.startsWith("#") && words.length > 1) {
    return { scope: "user", error: "Track commands work in the channel only" };
  }
  return {
    scope: "user",
    error: `Unknown command "${quote(first, 20)}"; try: in, out, seen, subscribe, unsubscribe, help`,
  };
}
