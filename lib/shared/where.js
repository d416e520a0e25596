// @ts-check
/**
 * What the pages work out from the state before drawing it: where and when
 * a track is on the day shown, which day that is, who is checked in where
 * and which tracks have a topic. Links come only from http(s) URLs
 * (`safeUrl`).
 *
 * @module
 */
import { bookingsOn, openingDay, pickBooking } from "./rules.js";

/**
 * The state as served in `ptg.json` (with `timezone` and `etherpad_base`),
 * read defensively: a page never trusts its shape.
 * @typedef {{ name: string, desc?: string, realtime?: string, duration?: number }} Slot
 * @typedef {Record<string, any>} State
 * @typedef {{
 *   now: number, timeZone: string, day?: string,
 *   alt?: { zone: string, name: string },
 *   mine?: string[], only?: boolean, query?: string,
 * }} View
 * The moment, the zone times are shown in, the chosen day; in the browser
 * also the other zone shown beside it when they differ (`alt`, named "your
 * time" or "event time"), the starred tracks, whether only they are shown,
 * and the search (`mine.js`).
 */

/**
 * The URL if it is an absolute http(s) URL, else undefined.
 * @param {unknown} text
 */
export function safeUrl(text) {
  if (typeof text !== "string" || text.length > 2000) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The event's time zone, as the server serves it with the state.
 * @param {State} state
 */
export function eventZone(state) {
  return typeof state.timezone === "string" && state.timezone ? state.timezone : "UTC";
}

/**
 * The day the schedule opens on.
 * @param {State} state
 * @param {number} now
 */
export function shownDay(state, now) {
  return openingDay(state.slots ?? {}, now, eventZone(state));
}

/**
 * The chosen day: the view's when it is one of the event's, else the opening day.
 * @param {State} state
 * @param {View} view
 */
export function chosenDay(state, view) {
  const days = Object.keys(state.slots ?? {});
  return view.day && days.includes(view.day) ? view.day : shownDay(state, view.now);
}

/**
 * Rooms in the order the event gives them.
 * @param {State} state
 * @returns {[string, Record<string, string>][]}
 */
export function rooms(state) {
  return Object.entries(state.schedule ?? {});
}

/**
 * Each track's bookings on the day shown at `now`: built once per state and
 * moment, since every badge asks where its track is.
 * @type {WeakMap<State, { now: number, bookings: Map<string, import("./rules.js").Booking[]> }>}
 */
const INDEX = new WeakMap();

/**
 * Where and when a track is on the day shown (the shared rule: its running
 * slot, else its next, else its first that day).
 * @param {State} state
 * @param {string} track
 * @param {number} now
 */
export function bookingOf(state, track, now) {
  let index = INDEX.get(state);
  if (!index || index.now !== now) {
    index = { now, bookings: bookingsOn(state.slots ?? {}, state.schedule ?? {}, shownDay(state, now)) };
    INDEX.set(state, index);
  }
  return pickBooking(index.bookings.get(track) ?? [], now);
}

/**
 * Where a track is: its location override, else the room it is booked in
 * today, else its URL; `none` when it has no room today.
 * @param {State} state
 * @param {string} track
 * @param {number} now
 * @returns {{ place?: string, href?: string, slot?: Slot, none: boolean }}
 */
export function whereOf(state, track, now) {
  const booking = bookingOf(state, track, now);
  const loc = state.location?.[track];
  if (typeof loc === "string" && loc) {
    const room = state.schedule?.[loc];
    return { place: loc, href: room ? safeUrl(room.url) : undefined, slot: booking?.slot, none: false };
  }
  if (booking) {
    return {
      place: booking.room,
      href: safeUrl(state.schedule[booking.room]?.url),
      slot: booking.slot,
      none: false,
    };
  }
  const own = safeUrl(state.urls?.[track]);
  return own ? { place: "Online", href: own, none: false } : { none: true };
}

/**
 * Where a track's badge points: the track's URL, else its room's at `now`.
 * Without a moment (the history, which is of no one moment) only its own URL.
 * @param {State} state
 * @param {string} track
 * @param {number} [now]
 */
export function trackUrl(state, track, now) {
  const own = safeUrl(state.urls?.[track]);
  if (own || now === undefined) return own;
  return whereOf(state, track, now).href;
}

/**
 * People checked in to each track (by "#track" location), still there.
 * @param {State} state
 * @returns {Map<string, string[]>}
 */
export function checkedIn(state) {
  /** @type {Map<string, string[]>} */
  const byTrack = new Map();
  for (const c of Object.values(state.last_check_in ?? {})) {
    if (c?.out || typeof c?.location !== "string" || !c.location.startsWith("#")) continue;
    const track = c.location.slice(1);
    const names = byTrack.get(track) ?? [];
    byTrack.set(track, names);
    names.push(String(c.nick));
  }
  for (const names of byTrack.values()) names.sort();
  return byTrack;
}

/**
 * Tracks with a current topic, sorted.
 * @param {State} state
 * @returns {string[]}
 */
export function topicTracks(state) {
  return Object.keys(state.now ?? {}).filter((t) => state.now[t]).sort();
}
