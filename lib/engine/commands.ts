/**
 * Every command, declared once: its words and aliases, who may use it, its
 * usage, how it reads its arguments and what it does. Parsing and dispatch
 * (`parse.ts`), the "try: …" hints, the page's help, the docs' command
 * reference and the tests' vocabulary all come from this table.
 *
 * To add a command: one entry here (a handler in the module of its scope),
 * then its tests; `deno task docs` writes it into docs/commands.md.
 *
 * @module
 */
import { MOTD_LEVELS, type MotdLevel, type State } from "../state/model.ts";
import {
  addBanner,
  addTracks,
  cleanTracks,
  clearBanners,
  deleteBanner,
  delTracks,
  emptyDatabase,
  fetchDatabase,
  listTracks,
  newDay,
  reorderBanners,
  requireVoice,
} from "./admin_commands.ts";
import { book, cleanTrack, link, setColor, setLocation, topic } from "./track_commands.ts";
import { checkIn, checkOut, seen, subscribe, unsubscribe } from "./user_commands.ts";
import { follow, following, trackArgs, type Unfollow, unfollow } from "./follows.ts";
import type { Context, Outcome, Scope, Speaker } from "./types.ts";
import { say } from "./types.ts";

/** What a command runs with, once its arguments are read. */
export interface Call<T> {
  state: State;
  who: Speaker;
  ctx: Context;
  /** The track of a track command (known to exist). */
  track: string;
  /** What `parse` made of the arguments. */
  value: T;
}

/** One command of the table. */
export interface CommandSpec<T = unknown> {
  scope: Scope;
  /**
   * The word, then its aliases, lower-case: after `+` for everyone, after
   * `#TRACK` for moderators, after `~` for operators, where a sub-command
   * is two words ("motd add").
   */
  words: readonly string[];
  /** What follows the word in a usage line ("TOPIC", "URL or auto"); empty when nothing does. */
  usage: string;
  /** Said after the usage line when the arguments are wrong. */
  hint?: string;
  /** One line for the docs and the page's help. */
  doc: string;
  /** Reads the words after the command: the value to run with, or the reason they are wrong. */
  parse(args: string[]): { value: T } | { error: string } | "usage";
  run(call: Call<T>): Outcome;
}

// Keeps each entry's value type tied to its own parse and run.
function command<T>(spec: CommandSpec<T>): CommandSpec {
  return spec as CommandSpec;
}

const some = (args: string[]) => args.length ? { value: args.join(" ") } : "usage" as const;
const none = () => ({ value: undefined });
const NUMBER = /^\d{1,4}$/;

/** The whole table, in the order hints and docs list it. */
export const COMMANDS: readonly CommandSpec[] = [
  // Everyone: in private, or with `+` in the channel.
  command({
    scope: "user",
    words: ["in"],
    usage: "#TRACK or in LOCATION",
    doc: "check in to a track, or to a place (free text); a bare word that is a track means the track",
    parse: some,
    run: ({ state, who, value, ctx }) => checkIn(state, who, value, ctx),
  }),
  command({
    scope: "user",
    words: ["out"],
    usage: "",
    doc: "check out; `seen` still tells where and when you left",
    parse: none,
    run: ({ state, who, ctx }) => checkOut(state, who, ctx),
  }),
  command({
    scope: "user",
    words: ["seen"],
    usage: "NICK",
    doc: "where NICK was last seen, and when",
    parse: (args) => args.length === 1 ? { value: args[0] } : "usage",
    run: ({ state, value }) => seen(state, value),
  }),
  command({
    scope: "user",
    words: ["subscribe"],
    usage: "[REGEXP]",
    doc:
      "a private message whenever a now/next topic matches (RE2 syntax, case-insensitive, searched in `#track now topic`); without a pattern, shows yours",
    parse: (args) => ({ value: args.length ? args.join(" ") : undefined }),
    run: ({ state, who, value }) => subscribe(state, who, value),
  }),
  command({
    scope: "user",
    words: ["unsubscribe"],
    usage: "",
    doc: "cancels your subscription",
    parse: none,
    run: ({ state, who }) => unsubscribe(state, who),
  }),
  command({
    scope: "user",
    words: ["follow"],
    usage: "#TRACK [#TRACK…]",
    doc:
      "private notices about these tracks: a few minutes before each of their slots starts, when it starts, and when their now topic changes; private, kept under your account when the bot knows it",
    parse: (args) => args.length ? { value: trackArgs(args) } : "usage",
    run: ({ state, who, value }) => follow(state, who, value),
  }),
  command<Unfollow>({
    scope: "user",
    words: ["unfollow"],
    usage: "#TRACK [#TRACK…] or unfollow all",
    doc: "stops following these tracks, or all of them",
    parse: (args) =>
      args.length === 1 && args[0].toLowerCase() === "all"
        ? { value: "all" }
        : args.length
        ? { value: trackArgs(args) }
        : "usage",
    run: ({ state, who, value }) => unfollow(state, who, value),
  }),
  command({
    scope: "user",
    words: ["following"],
    usage: "",
    doc: "the tracks you follow",
    parse: none,
    run: ({ state, who }) => following(state, who),
  }),
  command({
    scope: "user",
    words: ["help"],
    usage: "",
    doc: "where the documentation is (any prefix: `+help`, `#help`, `~help`, `!help`)",
    parse: none,
    run: ({ ctx }) => say(`ptgbot commands are explained at ${ctx.helpUrl}`),
  }),

  // Track moderators: `#TRACK WORD …` in the channel.
  command({
    scope: "track",
    words: ["now"],
    usage: "TOPIC",
    doc:
      "the current topic; clears the track's next topics, sets its location from today's room if it has none, notifies subscribers, and is kept in the event's history (`/history.html`)",
    parse: some,
    run: ({ state, track, value, ctx }) => topic(state, track, "now", value, ctx),
  }),
  command({
    scope: "track",
    words: ["next"],
    usage: "TOPIC",
    doc: "one more upcoming topic (20 at most); notifies subscribers",
    parse: some,
    run: ({ state, track, value, ctx }) => topic(state, track, "next", value, ctx),
  }),
  command({
    scope: "track",
    words: ["clean", "clear"],
    usage: "",
    doc: "removes the track's now and next topics",
    parse: none,
    run: ({ state, track }) => cleanTrack(state, track),
  }),
  command({
    scope: "track",
    words: ["etherpad"],
    usage: "URL or auto",
    doc: "the track's etherpad; `auto` returns to the one named after the event and track",
    parse: some,
    run: ({ state, track, value }) => link(state, track, "etherpad", value),
  }),
  command({
    scope: "track",
    words: ["url"],
    usage: "URL or none",
    doc: "the track's own URL (its video call); otherwise its room's URL is used",
    parse: some,
    run: ({ state, track, value }) => link(state, track, "url", value),
  }),
  command({
    scope: "track",
    words: ["color", "colour"],
    usage: "COLOR",
    doc: "badge colour: a CSS colour name, `#hex`, or rgb()/hsl()/hwb(); text stays white",
    parse: some,
    run: ({ track, value }) => setColor(track, value),
  }),
  command({
    scope: "track",
    words: ["location"],
    usage: "TEXT",
    doc: "overrides the room found in the schedule",
    parse: some,
    run: ({ track, value }) => setLocation(track, value),
  }),
  command({
    scope: "track",
    words: ["book"],
    usage: "ROOM-SLOT",
    hint: "(codes are on the schedule page)",
    doc: "books a free slot, by the code the page shows (`Overflow-MonA2`)",
    parse: some,
    run: ({ state, track, value }) => book(state, track, value, true),
  }),
  command({
    scope: "track",
    words: ["unbook"],
    usage: "ROOM-SLOT",
    hint: "(codes are on the schedule page)",
    doc: "frees a slot this track booked",
    parse: some,
    run: ({ state, track, value }) => book(state, track, value, false),
  }),

  // Channel operators: `~WORD …`.
  command({
    scope: "admin",
    words: ["list"],
    usage: "",
    doc: "lists the tracks",
    parse: none,
    run: ({ state }) => listTracks(state),
  }),
  command({
    scope: "admin",
    words: ["add"],
    usage: "TRACK [TRACK…]",
    doc: "adds tracks, each with a colour",
    parse: tracks,
    run: ({ state, value }) => addTracks(state, value),
  }),
  command({
    scope: "admin",
    words: ["del"],
    usage: "TRACK [TRACK…]",
    doc: "removes tracks with their topics, links, colour and location (the schedule stays)",
    parse: tracks,
    run: ({ state, value }) => delTracks(state, value),
  }),
  command({
    scope: "admin",
    words: ["clean", "clear"],
    usage: "TRACK [TRACK…]",
    doc: "removes the tracks' now and next topics",
    parse: tracks,
    run: ({ state, value }) => cleanTracks(state, value),
  }),
  command({
    scope: "admin",
    words: ["newday"],
    usage: "",
    doc: "removes all topics, location overrides and check-ins (the event's history stays)",
    parse: none,
    run: ({ state }) => newDay(state),
  }),
  command<{ level: MotdLevel; message: string }>({
    scope: "admin",
    words: ["motd add"],
    usage: "LEVEL MESSAGE",
    doc: `a banner on top of the pages; LEVEL is ${MOTD_LEVELS.join(", ")}; 10 at most`,
    parse: (args) => {
      const level = (args[0] ?? "").toLowerCase();
      if (!(MOTD_LEVELS as readonly string[]).includes(level)) {
        return { error: `LEVEL must be one of ${MOTD_LEVELS.join(", ")}; ${groupUsage("motd")}` };
      }
      return args.length > 1
        ? { value: { level: level as MotdLevel, message: args.slice(1).join(" ") } }
        : "usage";
    },
    run: ({ state, value }) => addBanner(state, value.level, value.message),
  }),
  command({
    scope: "admin",
    words: ["motd del"],
    usage: "N",
    doc: "removes the Nth banner (from 1)",
    parse: (args) => args.length === 1 && NUMBER.test(args[0]) ? { value: Number(args[0]) } : "usage",
    run: ({ state, value }) => deleteBanner(state, value),
  }),
  command({
    scope: "admin",
    words: ["motd clean", "motd clear"],
    usage: "",
    doc: "removes every banner",
    parse: none,
    run: ({ state }) => clearBanners(state),
  }),
  command({
    scope: "admin",
    words: ["motd reorder"],
    usage: "X Y [Z…]",
    hint: "(banner numbers, from 1)",
    doc: "puts the banners in the listed order; unlisted ones go",
    parse: (args) => args.length && args.every((a) => NUMBER.test(a)) ? { value: args.map(Number) } : "usage",
    run: ({ state, value }) => reorderBanners(state, value),
  }),
  command({
    scope: "admin",
    words: ["emptydb"],
    usage: "",
    doc: "resets to the empty state and empties the event's history",
    parse: none,
    run: () => emptyDatabase(),
  }),
  command({
    scope: "admin",
    words: ["fetchdb"],
    usage: "URL",
    doc:
      "loads an event document (JSON, or a spreadsheet grid: a `.csv` URL or a `text/csv` answer): each top-level key replaces that key of the state; tracks named in the schedule are added",
    parse: (args) => args.length === 1 ? { value: args[0] } : "usage",
    run: ({ value }) => fetchDatabase(value),
  }),
  command({
    scope: "admin",
    words: ["requirevoice"],
    usage: "",
    doc: "track commands need voice (+v) or op",
    parse: none,
    run: () => requireVoice(true),
  }),
  command({
    scope: "admin",
    words: ["alloweveryone"],
    usage: "",
    doc: "track commands are for everyone in the channel again",
    parse: none,
    run: () => requireVoice(false),
  }),
];

function tracks(args: string[]): { value: string[] } | "usage" {
  return args.length ? { value: args.map((t) => t.replace(/^#/, "").toLowerCase()) } : "usage";
}

/** How a command starts when typed: `in` (or `+in` with `sigil`), `#TRACK now`, `~motd add`. */
export function lead(spec: CommandSpec, word = spec.words[0], track = "TRACK", sigil = ""): string {
  return spec.scope === "track"
    ? `#${track} ${word}`
    : spec.scope === "admin"
    ? `~${word}`
    : `${sigil}${word}`;
}

/** How a command is written: `in #TRACK or in LOCATION`, `#TRACK now TOPIC`, `~motd del N`. */
export function syntax(spec: CommandSpec, word = spec.words[0], track = "TRACK", sigil = ""): string {
  const start = lead(spec, word, track, sigil);
  return spec.usage ? `${start} ${spec.usage}` : start;
}

/** The usage line for a command written with `word` (an alias says itself). */
export function usageOf(spec: CommandSpec, word: string, track?: string): string {
  return `Usage: ${syntax(spec, word, track)}${spec.hint ? ` ${spec.hint}` : ""}`;
}

/** One usage line for several commands: `Usage: ~motd add LEVEL MESSAGE | ~motd del N | …`. */
function usageOfAll(specs: readonly CommandSpec[]): string {
  return `Usage: ${specs.map((c) => syntax(c)).join(" | ")}`;
}

/** Every form of a group of sub-commands: `Usage: ~motd add LEVEL MESSAGE | ~motd del N | …`. */
export function groupUsage(group: string): string {
  return usageOfAll(COMMANDS.filter((c) => c.words[0].startsWith(`${group} `)));
}

/** Every command of a scope, aliases left out: `Usage: #TRACK now TOPIC | #TRACK next TOPIC | …`. */
export function scopeUsage(scope: Scope): string {
  return usageOfAll(COMMANDS.filter((c) => c.scope === scope));
}

/** The command words of a scope, aliases left out, in table order: `now, next, clean, …`. */
export function wordsOf(scope: Scope): string[] {
  return [...new Set(COMMANDS.filter((c) => c.scope === scope).map((c) => c.words[0].split(" ")[0]))];
}
