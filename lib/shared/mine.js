// @ts-check
/**
 * The attendee's own choices on the main page, kept in their browser: the
 * starred tracks, whether to show only them, what they search for. Here is
 * what those choices mean (which tracks and rooms stay in view, the feed
 * URL of the starred set); the page's script only stores them.
 *
 * @module
 */
import { whereOf } from "./where.js";

/**
 * @typedef {import("./where.js").State} State
 * @typedef {import("./where.js").View} View
 */

/** A track name as the bot keeps them. */
const TRACK = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** At most this many stars are read back: a page never trusts its storage's size. */
export const MAX_STARS = 200;

/**
 * The starred set as stored (JSON text, possibly missing or damaged):
 * valid track names, lower-case, unique, sorted.
 * @param {string | null | undefined} text
 * @returns {string[]}
 */
export function readStars(text) {
  let list;
  try {
    list = JSON.parse(text ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const names = list.filter((t) => typeof t === "string").map((t) => t.toLowerCase())
    .filter((t) => TRACK.test(t));
  return [...new Set(names)].sort().slice(0, MAX_STARS);
}

/**
 * The calendar feed of a set of tracks: `ptg.ics?tracks=a,b` (names
 * lower-case, sorted, each URL-encoded, joined by commas); the whole
 * event's feed when the set is empty. Relative, like the pages' other links.
 * @param {string[]} tracks
 */
export function calendarHref(tracks) {
  const names = readStars(JSON.stringify(tracks));
  return names.length ? `ptg.ics?tracks=${names.map(encodeURIComponent).join(",")}` : "ptg.ics";
}

/**
 * The set a feed URL asks for (what the server reads back from `calendarHref`).
 * @param {string} href
 * @returns {string[]}
 */
export function tracksOfHref(href) {
  const value = new URL(href, "http://x/").searchParams.get("tracks");
  return value ? value.split(",").map((t) => t.trim().toLowerCase()).filter((t) => t) : [];
}

/**
 * The search as matched: trimmed, lower-case; "" matches everything.
 * @param {View} view
 */
export function queryOf(view) {
  return typeof view.query === "string" ? view.query.trim().toLowerCase().slice(0, 200) : "";
}

/**
 * Whether a track's name, topics or place hold the query.
 * @param {State} state
 * @param {string} track
 * @param {string} query lower-case
 * @param {number} now
 */
function trackMatches(state, track, query, now) {
  if (!query || track.includes(query)) return true;
  const texts = [state.now?.[track], ...(Array.isArray(state.next?.[track]) ? state.next[track] : [])];
  if (texts.some((t) => String(t ?? "").toLowerCase().includes(query))) return true;
  return String(whereOf(state, track, now).place ?? "").toLowerCase().includes(query);
}

/**
 * Whether a track stays in view: starred when only starred ones are shown,
 * and matching the search.
 * @param {State} state
 * @param {View} view
 * @param {string} track
 */
export function shown(state, view, track) {
  if (view.only && !(view.mine ?? []).includes(track)) return false;
  return trackMatches(state, track, queryOf(view), view.now);
}

/**
 * Whether the view narrows what is shown at all.
 * @param {View} view
 */
export function filtering(view) {
  return Boolean(view.only || queryOf(view));
}

/**
 * Whether a room's row of the schedule stays in view: its name holds the
 * search, or a track booked in it that day is shown.
 * @param {State} state
 * @param {View} view
 * @param {string} name
 * @param {string[]} booked the tracks in its cells that day
 */
export function roomShown(state, view, name, booked) {
  if (!filtering(view)) return true;
  const query = queryOf(view);
  if (!view.only && query && name.toLowerCase().includes(query)) return true;
  return booked.some((t) => shown(state, view, t));
}
