/** What channel operators do: tracks, banners, voice, and the whole database. */
import { defaultColor } from "../state/colors.ts";
import { mergeDocument } from "../state/json.ts";
import type { ParsedDocument } from "../state/document.ts";
import { LIMITS } from "../state/limits.ts";
import { type Change, cloneState, dict, emptyState, type State, TRACK_MAPS } from "../state/model.ts";
import { isTrackName, isWebUrl } from "../state/validate.ts";
import { quote } from "./parse.ts";
import { type AdminAction, type Context, done, type Outcome, say } from "./types.ts";
import { isTrack, stamp } from "./util.ts";

function addTracks(state: State, names: string[]): Outcome {
  const invalid = names.filter((n) => !isTrackName(n));
  if (invalid.length) {
    return say(
      `Invalid track name: ${quote(invalid[0], 40)} (letters, digits, - and _, at most ${LIMITS.trackName})`,
    );
  }
  const fresh = [...new Set(names)].filter((n) => !isTrack(state, n));
  const existing = names.filter((n) => isTrack(state, n));
  if (!fresh.length) return say(`Already tracks: ${existing.join(", ")}`);
  if (state.tracks.length + fresh.length > LIMITS.tracks) {
    return say(`Too many tracks (at most ${LIMITS.tracks})`);
  }
  const changes: Change[] = [];
  for (const t of fresh) {
    changes.push({ op: "track", track: t, present: true });
    if (!state.colors[t]) changes.push({ op: "set", map: "colors", key: t, value: defaultColor(t) });
  }
  const note = existing.length ? ` (already there: ${existing.join(", ")})` : "";
  return done(changes, `Added ${fresh.join(", ")}${note}`);
}

function unknownTracks(state: State, names: string[]): Outcome | undefined {
  const unknown = names.filter((n) => !isTrack(state, n));
  return unknown.length
    ? say(`Unknown track: ${unknown.map((n) => quote(n, 40)).join(", ")}; nothing changed`)
    : undefined;
}

function delTracks(state: State, names: string[]): Outcome {
  const refused = unknownTracks(state, names);
  if (refused) return refused;
  const changes: Change[] = [];
  for (const t of new Set(names)) {
    changes.push({ op: "track", track: t, present: false });
    for (const map of TRACK_MAPS) {
      if (t in state[map]) changes.push({ op: "del", map, key: t });
    }
  }
  return done(changes, `Removed ${[...new Set(names)].join(", ")}`);
}

function cleanTracks(state: State, names: string[]): Outcome {
  const refused = unknownTracks(state, names);
  if (refused) return refused;
  const changes: Change[] = [];
  for (const t of new Set(names)) {
    if (t in state.now) changes.push({ op: "del", map: "now", key: t });
    if (t in state.next) changes.push({ op: "del", map: "next", key: t });
  }
  return done(changes, `Cleaned ${[...new Set(names)].join(", ")}`);
}

function newDay(state: State): Outcome {
  const fresh = cloneState(state);
  fresh.now = dict();
  fresh.next = dict();
  fresh.location = dict();
  fresh.last_check_in = dict();
  const people = Object.keys(state.last_check_in).length;
  return done(
    [{ op: "replace", state: fresh }],
    `New day: topics, location overrides and ${people} check-ins cleared`,
  );
}

function motd(state: State, action: AdminAction): Outcome {
  const list = state.motd;
  switch (action.verb) {
    case "motd-add":
      if (list.length >= LIMITS.motds) return say(`Already ${LIMITS.motds} banners; remove one first`);
      if (action.message.length > LIMITS.motdMessage) {
        return say(`Banner too long (at most ${LIMITS.motdMessage} characters)`);
      }
      return done(
        [{ op: "motd", value: [...list, { level: action.level, message: action.message }] }],
        `Banner ${list.length + 1} added`,
      );
    case "motd-del":
      if (action.index < 1 || action.index > list.length) {
        return say(
          list.length ? `No banner ${action.index}; there are ${list.length}` : "There are no banners",
        );
      }
      return done(
        [{ op: "motd", value: list.filter((_, i) => i !== action.index - 1) }],
        `Banner ${action.index} removed`,
      );
    case "motd-clean":
      return done(list.length ? [{ op: "motd", value: [] }] : [], "Banners removed");
    case "motd-reorder": {
      const bad = action.order.find((n) => n < 1 || n > list.length);
      if (bad !== undefined) return say(`No banner ${bad}; there are ${list.length}`);
      if (new Set(action.order).size !== action.order.length) return say("A banner is listed twice");
      return done(
        [{ op: "motd", value: action.order.map((n) => list[n - 1]) }],
        `Banners now in the order ${action.order.join(" ")}`,
      );
    }
    default:
      throw new Error(`not a banner action: ${action.verb}`);
  }
}

/** Runs one admin command (the speaker is known to be an operator). */
export function adminCommand(state: State, action: AdminAction, _ctx: Context): Outcome {
  switch (action.verb) {
    case "list":
      return say(
        state.tracks.length ? `Tracks: ${state.tracks.join(", ")}` : "No tracks yet; add some with ~add",
      );
    case "add":
      return addTracks(state, action.tracks);
    case "del":
      return delTracks(state, action.tracks);
    case "clean":
      return cleanTracks(state, action.tracks);
    case "newday":
      return newDay(state);
    case "emptydb":
      return done([{ op: "replace", state: emptyState() }], "Database emptied");
    case "requirevoice":
      return done([{ op: "voice", value: 1 }], "Track commands now need voice (+v) or op");
    case "alloweveryone":
      return done([{ op: "voice", value: 0 }], "Everyone may use track commands now");
    case "fetchdb":
      if (!isWebUrl(action.url)) return say(`Not an http(s) URL: ${quote(action.url)}`);
      return { changes: [], replies: [], fetch: action.url };
    default:
      return motd(state, action);
  }
}

/** The outcome of a `~fetchdb` once its document is loaded (or failed to load). */
export function loadedDocument(
  state: State,
  url: string,
  loaded: ParsedDocument | { ok: false; error: string },
  ctx: Context,
): Outcome {
  if (!loaded.ok) return say(`~fetchdb ${quote(url)} refused: ${loaded.error}; nothing changed`);
  const keys = Object.keys(loaded.doc);
  if (!keys.length) return say(`~fetchdb ${quote(url)}: the document has no known keys; nothing changed`);
  const merged = mergeDocument(state, loaded.doc);
  merged.timestamp = stamp(ctx);
  const ignored = loaded.ignored.length
    ? `; ignored: ${loaded.ignored.map((k) => quote(k, 20)).join(", ")}`
    : "";
  return done([{ op: "replace", state: merged }], `Loaded ${keys.join(", ")} from ${quote(url)}${ignored}`);
}
