/**
 * The state of an event, in the original ptgbot's JSON shape.
 *
 * Every map is a prototype-less object so that keys typed by users (a nick
 * such as `__proto__`) are plain data and never reach `Object.prototype`.
 */

import type { HistoryEntry } from "./history.ts";

/** A time slot of one day, as listed under `slots`. */
export interface Slot {
  name: string;
  desc: string;
  /** ISO 8601 start time, when the event publishes one. */
  realtime?: string;
  /** Length in minutes. */
  duration?: number;
}

/** A room: slot codes mapped to a track name ("" = bookable) plus the room's own details. */
export type Room = Record<string, string>;

/** Keys of a room that describe it rather than name a slot. */
export const ROOM_INFO_KEYS = ["url", "desc", "cap_icon", "cap_desc"] as const;

/** A banner shown on top of the pages. */
export interface Motd {
  level: MotdLevel;
  message: string;
}

export const MOTD_LEVELS = ["info", "success", "warning", "danger"] as const;
export type MotdLevel = typeof MOTD_LEVELS[number];

/** Where a person last checked in, and when they left. */
export interface CheckIn {
  nick: string;
  location: string;
  in: string;
  out: string | null;
}

/** The whole state of an event. */
export interface State {
  eventid: string;
  voice: 0 | 1;
  tracks: string[];
  slots: Record<string, Slot[]>;
  schedule: Record<string, Room>;
  now: Record<string, string>;
  next: Record<string, string[]>;
  etherpads: Record<string, string>;
  urls: Record<string, string>;
  colors: Record<string, string>;
  location: Record<string, string>;
  motd: Motd[];
  links: Record<string, string>;
  last_check_in: Record<string, CheckIn>;
  subscriptions: Record<string, string | null>;
  /** Private: the tracks each person follows (`+follow`), by the same key as subscriptions. */
  follows: Record<string, string[]>;
  timestamp: string;
}

/** The per-key maps that commands change one entry at a time. */
export type MapName =
  | "now"
  | "next"
  | "etherpads"
  | "urls"
  | "colors"
  | "location"
  | "last_check_in"
  | "subscriptions"
  | "follows";

/** Maps whose keys are track names. */
export const TRACK_MAPS = [
  "now",
  "next",
  "etherpads",
  "urls",
  "colors",
  "location",
] as const satisfies readonly MapName[];

export const MAP_NAMES: readonly MapName[] = [...TRACK_MAPS, "last_check_in", "subscriptions", "follows"];

/** One change a command makes; a command's changes are committed together. */
export type Change =
  | { [M in MapName]: { op: "set"; map: M; key: string; value: State[M][string] } }[MapName]
  | { op: "del"; map: MapName; key: string }
  | { op: "track"; track: string; present: boolean }
  | { op: "room"; room: string; value: Room }
  | { op: "motd"; value: Motd[] }
  | { op: "voice"; value: 0 | 1 }
  | { op: "replace"; state: State }
  /** One more entry in the event's history (`history.ts`); the state itself does not change. */
  | { op: "record"; entry: HistoryEntry }
  /** The event's history emptied (`~emptydb`). */
  | { op: "forget" };

/** A prototype-less record, safe for user-chosen keys. */
export function dict<T>(from?: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (from) { for (const k of Object.keys(from)) out[k] = from[k]; }
  return out;
}

/** The minimal empty state (what `~emptydb` leaves). */
export function emptyState(timestamp = ""): State {
  return {
    eventid: "",
    voice: 0,
    tracks: [],
    slots: dict(),
    schedule: dict(),
    now: dict(),
    next: dict(),
    etherpads: dict(),
    urls: dict(),
    colors: dict(),
    location: dict(),
    motd: [],
    links: dict(),
    last_check_in: dict(),
    subscriptions: dict(),
    follows: dict(),
    timestamp,
  };
}

/** A deep copy that keeps every map prototype-less. */
export function cloneState(s: State): State {
  const copy = structuredClone(s) as State;
  for (const key of Object.keys(copy) as (keyof State)[]) {
    const v = copy[key];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      (copy as unknown as Record<string, unknown>)[key] = dict(v as Record<string, unknown>);
    }
  }
  for (const room of Object.keys(copy.schedule)) copy.schedule[room] = dict(copy.schedule[room]);
  for (const nick of Object.keys(copy.last_check_in)) {
    copy.last_check_in[nick] = { ...copy.last_check_in[nick] };
  }
  return copy;
}

/** Applies changes to `state` in place (the caller owns it) and returns it. */
export function applyChanges(state: State, changes: readonly Change[], timestamp?: string): State {
  let s = state;
  for (const c of changes) {
    switch (c.op) {
      case "set":
        (s[c.map] as Record<string, unknown>)[c.key] = c.value;
        break;
      case "del":
        delete s[c.map][c.key];
        break;
      case "track": {
        const has = s.tracks.includes(c.track);
        if (c.present && !has) s.tracks = [...s.tracks, c.track].sort();
        if (!c.present && has) s.tracks = s.tracks.filter((t) => t !== c.track);
        break;
      }
      case "room":
        s.schedule[c.room] = c.value;
        break;
      case "motd":
        s.motd = c.value;
        break;
      case "voice":
        s.voice = c.value;
        break;
      case "replace":
        s = Object.assign(s, cloneState(c.state));
        break;
    }
  }
  if (timestamp !== undefined && changes.length > 0) s.timestamp = timestamp;
  return s;
}

/**
 * A state being changed by a batch of commands while the committed one stays
 * as it is (and is what gets served): maps are copied on first change, so a
 * batch copies each map it touches once, and the committed state is never
 * written to. Values (check-ins, rooms, `next` lists) are replaced, never
 * changed in place, so sharing them is safe.
 */
export class Draft {
  #copied = new Set<keyof State>();
  state: State;

  constructor(base: State) {
    this.state = { ...base };
  }

  #own<K extends "schedule" | MapName>(key: K): void {
    if (this.#copied.has(key)) return;
    this.state[key] = dict(this.state[key] as Record<string, never>) as State[K];
    this.#copied.add(key);
  }

  /** Applies a command's changes on top of the changes before it. */
  apply(changes: readonly Change[], timestamp: string): void {
    for (const c of changes) {
      if (c.op === "replace") {
        this.state = cloneState(c.state);
        for (const key of Object.keys(this.state) as (keyof State)[]) this.#copied.add(key);
        continue;
      }
      if (c.op === "set" || c.op === "del") this.#own(c.map);
      if (c.op === "room") this.#own("schedule");
      // The map it writes is this draft's own now; tracks and banners become new arrays.
      applyChanges(this.state, [c]);
    }
    if (changes.length) this.state.timestamp = timestamp;
  }
}
