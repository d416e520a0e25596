// @ts-check
/**
 * The signage page's regions (`/signage.html`), for a screen in the hall:
 * today's rooms for the running and the next slot, paged when there are more
 * than a screen holds, and the topics of the tracks in a room now.
 *
 * @module
 */
import { dayDates, isCurrent, slotTimes } from "./rules.js";
import { h } from "./vdom.js";
import { clock, dayLabel, slotLabel } from "./labels.js";
import { eventZone, rooms, shownDay, topicTracks, whereOf } from "./where.js";
import { badge, banners, richText, roomTable, wherePart } from "./pieces.js";

/**
 * @typedef {import("./where.js").Slot} Slot
 * @typedef {import("./where.js").State} State
 * @typedef {import("./where.js").View} View
 * @typedef {import("./pieces.js").Regions} Regions
 */

/** Rooms on one signage screen at a time, and how long each page shows (the pages redraw every 30 s). */
export const SIGN_PAGE = 24;
const SIGN_PAGE_MS = 30_000;

/**
 * The slots a screen shows: the running one and the next; before the day
 * starts the first two; after it the last.
 * @param {Slot[]} slots
 * @param {number} now
 */
export function signageSlots(slots, now) {
  const i = slots.findIndex((s) => isCurrent(s, now));
  if (i >= 0) return slots.slice(i, i + 2);
  const upcoming = slots.findIndex((s) => (slotTimes(s)?.start ?? -Infinity) > now);
  if (upcoming >= 0) return slots.slice(upcoming, upcoming + 2);
  return slots.some((s) => slotTimes(s)) ? slots.slice(-1) : slots.slice(0, 2);
}

/**
 * Signage: today's rooms for the running and next slot, and the topics.
 * @param {State} state
 * @param {View} view
 * @returns {Regions}
 */
export function signageRegions(state, view) {
  const day = shownDay(state, view.now);
  const dates = dayDates(state.slots ?? {}, eventZone(state));
  const slots = signageSlots(state.slots?.[day ?? ""] ?? [], view.now);
  const inUse = rooms(state).filter(([, room]) => slots.some((s) => room[s.name]));
  // More rooms than a screen holds: pages of SIGN_PAGE rooms, turned with the clock, so the
  // served page and the script agree on which one shows.
  const pages = Math.max(1, Math.ceil(inUse.length / SIGN_PAGE));
  const page = Math.floor(view.now / SIGN_PAGE_MS) % pages;
  const shown = inUse.slice(page * SIGN_PAGE, (page + 1) * SIGN_PAGE);
  const onPage = new Set(shown.map(([name]) => name));
  const allRooms = new Set(inUse.map(([name]) => name));
  const size = shown.length > 12 ? "many" : shown.length > 6 ? "some" : "few";
  // Many rooms go into two or three tables side by side, so a landscape screen's width is used.
  const parts = shown.length > 16 ? 3 : shown.length > 10 ? 2 : 1;
  const per = Math.ceil(shown.length / parts);
  const halves = Array.from({ length: parts }, (_, i) => shown.slice(i * per, (i + 1) * per));
  // A screen in the hall shows the topics of tracks in a room now (or, between slots, today).
  const running = slots.some((s) => isCurrent(s, view.now));
  const tracks = topicTracks(state).filter((t) => {
    const w = whereOf(state, t, view.now);
    if (w.none || (running && w.slot && !isCurrent(w.slot, view.now))) return false;
    // Paged: each page shows the topics of its rooms; the first also those elsewhere.
    return pages === 1 || onPage.has(w.place ?? "") || (page === 0 && !allRooms.has(w.place ?? ""));
  });
  const topics = tracks.length > 12 ? "many" : tracks.length > 6 ? "some" : "few";
  return {
    title: [`${state.eventid || "Event"}: ${day ? dayLabel(day, dates.get(day)) : "no schedule"}`],
    clock: [clock(view.now, view.timeZone)],
    banners: banners(state, view.now),
    today: slots.length && shown.length
      ? [h(
        "div",
        { class: `sign-rooms rooms-${size}` },
        pages > 1
          ? h(
            "p",
            { class: "sign-page" },
            `Rooms ${page * SIGN_PAGE + 1}–${page * SIGN_PAGE + shown.length} of ${inUse.length}`,
          )
          : null,
        halves.map((part, i) =>
          roomTable({
            className: "sign",
            caption: halves.length > 1 ? `Rooms on ${day}, part ${i + 1}` : `Rooms on ${day}`,
            captionClass: "visually-hidden",
            slots,
            rooms: part,
            now: view.now,
            head: (s) =>
              isCurrent(s, view.now) ? `Now (${slotLabel(s, view.timeZone)})` : slotLabel(s, view.timeZone),
            row: (name) => h("th", { scope: "row" }, name),
            cell: (_name, room, s) => (room[s.name] ? badge(state, room[s.name], view.now) : "–"),
          })
        ),
      )]
      : [h("p", { class: "empty" }, "Nothing scheduled today.")],
    now: tracks.length
      ? [h(
        "ul",
        { class: `sign-now topics-${topics}` },
        tracks.map((t) =>
          h(
            "li",
            {},
            badge(state, t, view.now),
            " ",
            wherePart(state, t, view),
            " ",
            h("span", { class: "topic" }, richText(state, state.now[t], view.now)),
          )
        ),
      )]
      : [h("p", { class: "empty" }, "No topics yet.")],
    updated: [String(state.timestamp || "never")],
  };
}
