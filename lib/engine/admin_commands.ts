/** What channel operators do: tracks, banners, voice, and the whole database. */
import { defaultColor } from "../state/colors.ts";
import { mergeDocument } from "../state/json.ts";
import type { ParsedDocument } from "../state/document.ts";
import { LIMITS } from "../state/limits.ts";
import {
  type Change,
  cloneState,
  dict,
  emptyState,
  type MotdLevel,
  type State,
  TRACK_MAPS,
} from "../state/model.ts";
import { isTrackName, isWebUrl } from "../state/validate.ts";
import { type Context, done, type Outcome, refuse, say } from "./types.ts";
import { isTrack, listed, quote, stamp } from "./util.ts";

/** `~add`: new tracks, each with a colour. */
export function addTracks(state: State, names: string[]): Outcome {
  const invalid = names.filter((n) => !isTrackName(n));
  if (invalid.length) {
    return refuse(
      `Invalid track name: ${quote(invalid[0], 40)} (letters, digits, - and _, at most ${LIMITS.trackName})`,
    );
  }
  const fresh = [...new Set(names)].filter((n) => !isTrack(state, n));
  const existing = names.filter((n) => isTrack(state, n));
  if (!fresh.length) return refuse(`Already tracks: ${listed(existing)}`);
  if (state.tracks.length + fresh.length > LIMITS.tracks) {
    return refuse(`Too many tracks (at most ${LIMITS.tracks})`);
  }
  const changes: Change[] = [];
  for (const t of fresh) {
    changes.push({ op: "track", track: t, present: true });
    if (!state.colors[t]) changes.push({ op: "set", map: "colors", key: t, value: defaultColor(t) });
  }
  const note = existing.length ? ` (already there: ${listed(existing)})` : "";
  return done(changes, `Added ${listed(fresh)}${note}`);
}

function unknownTracks(state: State, names: string[]): Outcome | undefined {
  const unknown = names.filter((n) => !isTrack(state, n));
  return unknown.length ? refuse(`Unknown track: ${listed(unknown)}; nothing changed`) : undefined;
}

/** `~del`: tracks with their topics, links, colour and location. */
export function delTracks(state: State, names: string[]): Outcome {
  const refused = unknownTracks(state, names);
  if (refused) return refused;
  const changes: Change[] = [];
  for (const t of new Set(names)) {
    changes.push({ op: "track", track: t, present: false });
    for (const map of TRACK_MAPS) {
      if (t in state[map]) changes.push({ op: "del", map, key: t });
    }
  }
  return done(changes, `Removed ${listed([...new Set(names)])}`);
}

/** `~clean`: the tracks' `now` and `next`. */
export function cleanTracks(state: State, names: string[]): Outcome {
  const refused = unknownTracks(state, names);
  if (refused) return refused;
  const changes: Change[] = [];
  for (const t of new Set(names)) {
    if (t in state.now) changes.push({ op: "del", map: "now", key: t });
    if (t in state.next) changes.push({ op: "del", map: "next", key: t });
  }
  return done(changes, `Cleaned ${listed([...new Set(names)])}`);
}

/** `~newday`: topics, location overrides and check-ins cleared. */
export function newDay(state: State): Outcome {
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

/** `~motd add`: one more banner. */
export function addBanner(state: State, level: MotdLevel, message: string): Outcome {
  const list = state.motd;
  if (list.length >= LIMITS.motds) return refuse(`Already ${LIMITS.motds} banners; remove one first`);
  if (message.length > LIMITS.motdMessage) {
    return refuse(`Banner too long (at most ${LIMITS.motdMessage} characters)`);
  }
  return done([{ op: "motd", value: [...list, { level, message }] }], `Banner ${list.length + 1} added`);
}

/** `~motd del`: the Nth banner, from 1. */
export function deleteBanner(state: State, index: number): Outcome {
  const list = state.motd;
  if (index < 1 || index > list.length) {
    return refuse(list.length ? `No banner ${index}; there are ${list.length}` : "There are no banners");
  }
  return done([{ op: "motd", value: list.filter((_, i) => i !== index - 1) }], `Banner ${index} removed`);
}

/** `~motd clean`: every banner. */
export function clearBanners(state: State): Outcome {
  return done(state.motd.length ? [{ op: "motd", value: [] }] : [], "Banners removed");
}

/** `~motd reorder`: the listed banners in that order; unlisted ones go. */
export function reorderBanners(state: State, order: number[]): Outcome {
  const list = state.motd;
  const bad = order.find((n) => n < 1 || n > list.length);
  if (bad !== undefined) return refuse(`No banner ${bad}; there are ${list.length}`);
  if (new Set(order).size !== order.length) return refuse("A banner is listed twice");
  return done(
    [{ op: "motd", value: order.map((n) => list[n - 1]) }],
    `Banners now in the order ${order.join(" ")}`,
  );
}

/** `~list`. */
export function listTracks(state: State): Outcome {
  return say(
    state.tracks.length ? `Tracks: ${state.tracks.join(", ")}` : "No tracks yet; add some with ~add",
  );
}

/** `~emptydb`: the minimal empty state, and the event's history emptied. */
export function emptyDatabase(): Outcome {
  return done([{ op: "replace", state: emptyState() }, { op: "forget" }], "Database emptied");
}

/** `~requirevoice` and `~alloweveryone`. */
export function requireVoice(required: boolean): Outcome {
  return required
    ? done([{ op: "voice", value: 1 }], "Track commands now need voice (+v) or op")
    : done([{ op: "voice", value: 0 }], "Everyone may use track commands now");
}

/** `~fetchdb`: asks the caller to load the document (see `loadedDocument`). */
export function fetchDatabase(url: string): Outcome {
  if (!isWebUrl(url)) return refuse(`Not an http(s) URL: ${quote(url)}`);
  return { changes: [], replies: [], fetch: url };
}

/** The outcome of a `~fetchdb` once its document is loaded (or failed to load). */
export function loadedDocument(
  state: State,
  url: string,
  loaded: ParsedDocument | { ok: false; error: string },
  ctx: Context,
): Outcome {
  if (!loaded.ok) return refuse(`~fetchdb ${quote(url)} refused: ${loaded.error}; nothing changed`);
  const keys = Object.keys(loaded.doc);
  if (!keys.length) return refuse(`~fetchdb ${quote(url)}: the document has no known keys; nothing changed`);
  const merged = mergeDocument(state, loaded.doc);
  merged.timestamp = stamp(ctx);
  const ignored = loaded.ignored.length ? `; ignored: ${listed(loaded.ignored)}` : "";
  return done([{ op: "replace", state: merged }], `Loaded ${keys.join(", ")} from ${quote(url)}${ignored}`);
}
