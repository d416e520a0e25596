/**
 * The feeds built from the state for other programs: the iCalendar feeds
 * (all tracks, one track, or a set named in the URL) and the c3voc
 * `schedule.json`. Each is built on first request after a change and kept
 * for that version of the state only.
 *
 * A set of tracks comes from the URL (`/ptg.ics?tracks=nova,cinder`), so a
 * client chooses the cache key: names are checked against the track list
 * before anything is built (an unknown name is a 400, so random strings
 * cost a lookup), and at most `maxSets` calendars are kept per version,
 * the least recently used dropped first.
 *
 * @module
 */
import type { State } from "../state/model.ts";
import { plainText, Representation } from "./representation.ts";

/** Longest `tracks=` value accepted (characters). */
export const MAX_TRACKS_QUERY = 2048;
/** Calendars kept per version of the state. */
export const MAX_CACHED_CALENDARS = 32;

const ICS_CACHE = "public, max-age=60";

/** What the feeds are built from. */
export interface FeedSource {
  state(): State;
  version(): number;
  etherpadBase: string;
  timeZone: string;
}

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

/** The feeds of one state source, cached per version. */
export class Feeds {
  #source: FeedSource;
  #maxSets: number;
  #version = -1;
  #calendars = new Map<string, Representation>();
  #schedule: Promise<Representation> | undefined;
  #ics: typeof import("./ics.ts") | undefined;

  constructor(source: FeedSource, maxSets = MAX_CACHED_CALENDARS) {
    this.#source = source;
    this.#maxSets = maxSets;
  }

  /** Calendars held for the current version (for tests and metrics). */
  get cachedCalendars(): number {
    return this.#calendars.size;
  }

  #fresh(): void {
    const v = this.#source.version();
    if (v === this.#version) return;
    this.#version = v;
    this.#calendars.clear();
    this.#schedule = undefined;
  }

  /**
   * `/ptg.ics`, with the request's `tracks=` when it has one: a calendar,
   * or a 400 with a one-line reason.
   */
  async allOrSet(url: string): Promise<Representation | Response> {
    const q = url.indexOf("?");
    const tracks = q < 0 ? null : new URLSearchParams(url.slice(q + 1).split("#")[0]).get("tracks");
    if (tracks === null) return await this.calendar(undefined);
    const set = parseTrackSet(this.#source.state(), tracks);
    if (typeof set === "string") return plainText(400, set);
    return await this.calendar(set);
  }

  /** The calendar of a set of tracks (as the state spells them), or of every track. */
  async calendar(tracks: readonly string[] | undefined): Promise<Representation> {
    // Calendars are rare next to ptg.json: their library loads on first use.
    this.#ics ??= await import("./ics.ts");
    this.#fresh();
    const key = tracks ? tracks.join(",") : "";
    let rep = this.#calendars.get(key);
    if (rep) {
      // Most recently used goes last, so the oldest is first to go.
      this.#calendars.delete(key);
    } else {
      const state = this.#source.state();
      const { calendar, stampOf } = this.#ics;
      const stamp = stampOf(state, this.#source.timeZone);
      const { etherpadBase, timeZone } = this.#source;
      const body = calendar(state, tracks, { etherpadBase, stamp, timeZone });
      rep = new Representation("text/calendar; charset=utf-8", body, ICS_CACHE);
      if (this.#calendars.size >= this.#maxSets) {
        this.#calendars.delete(this.#calendars.keys().next().value!);
      }
    }
    this.#calendars.set(key, rep);
    return rep;
  }

  /** `/schedule.json`: the c3voc schedule of the event (see docs/feeds.md). */
  schedule(): Promise<Representation> {
    this.#fresh();
    this.#schedule ??= import("./schedule_json.ts").then(async ({ scheduleJson }) =>
      new Representation(
        "application/json; charset=utf-8",
        JSON.stringify(await scheduleJson(this.#source.state(), this.#source.timeZone)),
        ICS_CACHE,
      )
    );
    // A failed build is not kept: the next request tries again.
    this.#schedule.catch(() => this.#schedule = undefined);
    return this.#schedule;
  }
}
