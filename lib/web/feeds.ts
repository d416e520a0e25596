/**
 * The feeds built from the state for other programs: the iCalendar feeds
 * (all tracks, one track, or a set named in the URL) and the c3voc
 * `schedule.json`. Each is built from the snapshot on first request after
 * a change and kept for that version of the state only.
 *
 * A set of tracks comes from the URL (`/ptg.ics?tracks=nova,cinder`), so a
 * client chooses the cache key: names are checked against the track list
 * before anything is built (an unknown name is a 400, so random strings
 * cost a lookup), and at most `maxSets` sets' calendars are kept per
 * version, the least recently used dropped first.
 *
 * @module
 */
import type { State } from "../state/model.ts";
import { plainText, Representation } from "./representation.ts";
import type { Snapshot } from "./snapshot.ts";
import { VersionCache } from "./version_cache.ts";

/** Longest `tracks=` value accepted (characters). */
export const MAX_TRACKS_QUERY = 2048;
/** Calendars kept per version of the state. */
export const MAX_CACHED_CALENDARS = 32;

const ICS_CACHE = "public, max-age=60";

/**
 * The tracks a `tracks=` value names, spelled as the state spells them,
 * without repeats, in the track list's order; or a one-line reason.
 * Names match without regard to case; a leading `#` is allowed.
 */
export function parseTrackSet(state: State, value: string): string[] | string {
  if (value.length > MAX_TRACKS_QUERY) return `tracks= is longer than ${MAX_TRACKS_QUERY} characters`;
  const byLower = new Map(state.tracks.map((t) => [t.toLowerCase(), t]));
  const wanted = new Set<string>();
  for (const raw of value.split(",")) {
    const name = raw.trim().replace(/^#/, "");
    if (!name) continue;
    const track = byLower.get(name.toLowerCase());
    if (!track) return `unknown track in tracks=: ${JSON.stringify(name.slice(0, 40))}`;
    wanted.add(track);
  }
  if (!wanted.size) return "tracks= names no track (tracks=nova,cinder)";
  return state.tracks.filter((t) => wanted.has(t));
}

/**
 * The feeds of the snapshots, each kept for its version: the calendar of
 * every track, of one track and `schedule.json` in the web app's cache (the
 * server chooses those keys), calendars of track sets in a cache of their own
 * of `maxSets` entries (the client chooses those), so asking for sets never
 * pushes out what everyone reads.
 */
export class Feeds {
  #snapshot: () => Snapshot;
  #cache: VersionCache<Representation>;
  #sets: VersionCache<Representation>;
  #ics: typeof import("./ics.ts") | undefined;

  constructor(snapshot: () => Snapshot, cache: VersionCache<Representation>, maxSets = MAX_CACHED_CALENDARS) {
    this.#snapshot = snapshot;
    this.#cache = cache;
    this.#sets = new VersionCache(maxSets);
  }

  /** Calendars of track sets held for the current version (for tests and metrics). */
  get cachedCalendars(): number {
    return this.#sets.size;
  }

  /**
   * `/ptg.ics`, with the request's `tracks=` when it has one: a calendar,
   * or a 400 with a one-line reason.
   */
  async allOrSet(url: string): Promise<Representation | Response> {
    const q = url.indexOf("?");
    const tracks = q < 0 ? null : new URLSearchParams(url.slice(q + 1).split("#")[0]).get("tracks");
    if (tracks === null) return await this.calendar(undefined);
    const set = parseTrackSet(this.#snapshot().state, tracks);
    if (typeof set === "string") return plainText(400, set);
    return await this.calendar(set);
  }

  /** The calendar of a set of tracks (as the state spells them), or of every track. */
  async calendar(tracks: readonly string[] | undefined): Promise<Representation> {
    // Calendars are rare next to ptg.json: their library loads on first use.
    const { calendar, stampOf } = this.#ics ??= await import("./ics.ts");
    const snap = this.#snapshot();
    const [cache, name] = !tracks
      ? [this.#cache, "/ptg.ics"]
      : tracks.length === 1
      ? [this.#cache, `/${tracks[0]}.ics`]
      : [this.#sets, tracks.join(",")];
    return cache.take(name, snap.version, () => {
      const { state, etherpadBase, timeZone } = snap;
      const body = calendar(state, tracks, { etherpadBase, stamp: stampOf(state, timeZone), timeZone });
      return new Representation("text/calendar; charset=utf-8", body, ICS_CACHE);
    });
  }

  /** `/schedule.json`: the c3voc schedule of the event (see docs/feeds.md). */
  async schedule(): Promise<Representation> {
    const snap = this.#snapshot();
    const kept = this.#cache.get("/schedule.json", snap.version);
    if (kept) return kept;
    const { scheduleJson } = await import("./schedule_json.ts");
    const body = JSON.stringify(await scheduleJson(snap.state, snap.timeZone));
    // A failed build throws and is not kept: the next request tries again.
    return this.#cache.set(
      "/schedule.json",
      snap.version,
      new Representation("application/json; charset=utf-8", body, ICS_CACHE),
    );
  }
}
