/**
 * Reading a line: which command of the table it is, with what arguments, or
 * why it is not one. Nothing here looks at the state.
 *
 * @module
 */
import { COMMANDS, type CommandSpec, groupUsage, scopeUsage, usageOf, wordsOf } from "./commands.ts";
import type { Scope } from "./types.ts";
import { cleanLine, quote } from "./util.ts";

/** A line read: a command to run, or a refusal to give once the speaker may use that scope at all. */
export type Parsed =
  | { scope: Scope; spec: CommandSpec; value: unknown; track: string }
  | { scope: Scope; error: string };

function index(scope: Scope): Map<string, CommandSpec> {
  const out = new Map<string, CommandSpec>();
  for (const spec of COMMANDS) if (spec.scope === scope) { for (const w of spec.words) out.set(w, spec); }
  return out;
}

const USER = index("user");
const TRACK = index("track");
const ADMIN = index("admin");
const HELP = USER.get("help")!;
const USER_HINT = `user commands: ${wordsOf("user").map((w) => `+${w}`).join(", ")}`;
/** Help asked for with any of the bot's sigils, or with `!` as other bots are asked (the original took it too). */
const HELP_ASKED = new RegExp(`^[+#~!]${HELP.words[0]}$`, "i");

function invoke(spec: CommandSpec, word: string, args: string[], track = ""): Parsed {
  const read = spec.parse(args);
  if (read === "usage") return { scope: spec.scope, error: usageOf(spec, word, track) };
  if ("error" in read) return { scope: spec.scope, error: read.error };
  return { scope: spec.scope, spec, value: read.value, track };
}

function track(words: string[], name: string): Parsed {
  const verb = (words[1] ?? "").toLowerCase();
  const verbs = wordsOf("track").join(", ");
  if (!verb) return { scope: "track", error: `Missing command after #${quote(name)}; try: ${verbs}` };
  const spec = TRACK.get(verb);
  if (spec) return invoke(spec, verb, words.slice(2), name);
  return {
    scope: "track",
    error: `Unknown command "${quote(words[1], 20)}" for #${quote(name)}; did you mean ` +
      `"#${quote(name)} now ${quote(words.slice(1).join(" "), 40)}"? Commands: ${verbs}`,
  };
}

function admin(words: string[], name: string): Parsed {
  const sub = `${name} ${(words[1] ?? "").toLowerCase()}`;
  const two = ADMIN.get(sub);
  if (two) return invoke(two, sub, words.slice(2));
  const one = ADMIN.get(name);
  if (one) return invoke(one, name, words.slice(1));
  if (COMMANDS.some((c) => c.scope === "admin" && c.words[0].startsWith(`${name} `))) {
    return { scope: "admin", error: groupUsage(name) };
  }
  return {
    scope: "admin",
    error: `Unknown admin command "~${quote(name, 20)}"; try: ${wordsOf("admin").join(", ")}`,
  };
}

/**
 * Reads a line said in the channel. Undefined for chatter the bot ignores:
 * anything not starting with `~`, `+` or `#` (but `!help`), and `+1`-style
 * replies. A sigil alone (`#`, `~`) gets the usage of its commands.
 */
export function parseChannelLine(line: string): Parsed | undefined {
  const words = line.trim().split(/\s+/);
  const first = words[0];
  const sigil = first[0];
  const name = first.slice(1).toLowerCase();
  if (HELP_ASKED.test(first)) return invoke(HELP, name, []);
  if (sigil !== "~" && sigil !== "+" && sigil !== "#") return undefined;
  if (sigil === "~") return name ? admin(words, name) : { scope: "admin", error: scopeUsage("admin") };
  const user = USER.get(name);
  if (user) return invoke(user, name, words.slice(1));
  if (sigil === "#") return name ? track(words, name) : { scope: "track", error: scopeUsage("track") };
  // "+", "+sen bob", "+frobnicate": a user command mistyped; "+1" and "++" are chatter.
  if (name === "" || /^[a-z]/.test(name)) {
    return { scope: "user", error: `Unknown command "${quote(first, 20)}"; ${USER_HINT}` };
  }
  return undefined;
}

/** Reads a private message: user commands, with or without `+`/`#`. */
export function parsePrivateLine(line: string): Parsed {
  const words = line.trim().split(/\s+/);
  const first = words[0] ?? "";
  const name = first.replace(/^[+#]/, "").toLowerCase();
  if (HELP_ASKED.test(first)) return invoke(HELP, HELP.words[0], []);
  const user = USER.get(name);
  if (user) return invoke(user, name, words.slice(1));
  if (first.startsWith("~")) return { scope: "user", error: "Admin commands work in the channel only" };
  if (first.startsWith("#") && words.length > 1) {
    return { scope: "user", error: "Track commands work in the channel only" };
  }
  return {
    scope: "user",
    error: `Unknown command "${quote(first, 20)}"; try: ${wordsOf("user").join(", ")}`,
  };
}

/**
 * A line read once, for a transport and then for the engine: the cleaned
 * text, where it was said, what it is (chatter to ignore, a request for
 * help, or a command) and the command read from it.
 */
export interface Classified {
  text: string;
  place: "channel" | "private";
  kind: "chatter" | "help" | "command";
  /** The command read (or why it is not one); undefined for chatter. */
  parsed: Parsed | undefined;
}

/** Cleans and reads a line once; the transport drops chatter, the engine runs the rest as read here. */
export function classifyLine(line: string, place: "channel" | "private"): Classified {
  const text = cleanLine(line);
  const parsed = place === "channel" ? parseChannelLine(text) : parsePrivateLine(text);
  const kind = !parsed ? "chatter" : "spec" in parsed && parsed.spec === HELP ? "help" : "command";
  return { text, place, kind, parsed };
}
