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

/**
 * What one signage screen holds at a time, at 1920×1080 and at 1080×1920
 * alike: rooms, current topics and banners. An event with more shows them
 * in turns: the screen pages through on the clock (`view.now`), so the
 * served page and the script agree on which page shows (the script redraws
 * every 30 s), and every room,
 * topic and banner comes round within one turn of the pages.
 */
export const SIGN_PAGE = 12;
export const SIGN_TOPICS = 8;
export const SIGN_BANNERS = 2;
/** How long each page shows (the page redraws on this clock). */
export const SIGN_PAGE_MS = 30_000;

/**
 * The `page`th piece of `list` cut in pieces of `size` (pieces come round again when there are fewer).
 * @template T
 * @param {T[]} list
 * @param {number} size
 * @param {number} page
 */
function pieceOf(list, size, page) {
  const count = Math.max(1, Math.ceil(list.length / size));
  const i = page % count;
  return { shown: list.slice(i * size, (i + 1) * size), from: i * size, count };
}

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
  // A screen in the hall shows the topics of tracks in a room now (or, between slots, today).
  const running = slots.some((s) => isCurrent(s, view.now));
  const tracks = topicTracks(state).filter((t) => {
    const w = whereOf(state, t, view.now);
    return !(w.none || (running && w.slot && !isCurrent(w.slot, view.now)));
  });
  const allBanners = banners(state, view.now);
  // As many pages as the longest list needs; the shorter lists come round again meanwhile.
  const pages = Math.max(
    Math.ceil(inUse.length / SIGN_PAGE),
    Math.ceil(tracks.length / SIGN_TOPICS),
    Math.ceil(allBanners.length / SIGN_BANNERS),
    1,
  );
  const page = Math.floor(view.now / SIGN_PAGE_MS) % pages;
  const roomPiece = pieceOf(inUse, SIGN_PAGE, page);
  const topicPiece = pieceOf(tracks, SIGN_TOPICS, page);
  const shown = roomPiece.shown;
  // Sizes follow the event, not the page, so the pages of one event look alike.
  const size = inUse.length > 6 ? "some" : "few";
  // More than six rooms go into two tables: side by side on a landscape screen, one above the other on a portrait one.
  const parts = inUse.length > 6 ? 2 : 1;
  const per = Math.ceil(shown.length / parts);
  const halves = Array.from({ length: parts }, (_, i) => shown.slice(i * per, (i + 1) * per));
  /**
   * "Rooms 1–12 of 50": which part of a paged list shows.
   * @param {string} what
   * @param {{ shown: unknown[], from: number }} piece
   * @param {number} total
   */
  const range = (what, piece, total) =>
    `${what} ${piece.from + 1}–${piece.from + piece.shown.length} of ${total}`;
  return {
    title: [`${state.eventid || "Event"}: ${day ? dayLabel(day, dates.get(day)) : "no schedule"}`],
    clock: [clock(view.now, view.timeZone)],
    banners: pieceOf(allBanners, SIGN_BANNERS, page).shown,
    today: slots.length && shown.length
      ? [h(
        "div",
        { class: `sign-rooms rooms-${size}` },
        roomPiece.count > 1 ? h("p", { class: "sign-page" }, range("Rooms", roomPiece, inUse.length)) : null,
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
      ? [
        ...(topicPiece.count > 1
          ? [h("p", { class: "sign-page" }, range("Topics", topicPiece, tracks.length))]
          : []),
        h(
          "ul",
          { class: "sign-now" },
          topicPiece.shown.map((t) =>
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
        ),
      ]
      : [h("p", { class: "empty" }, "No topics yet.")],
    updated: [String(state.timestamp || "never")],
  };
}
