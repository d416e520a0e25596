// @ts-check
/**
 * The main page's regions (`/ptg.html`): the banners, what each track is on
 * now and where, the schedule by day (an ARIA tab widget), what is next.
 *
 * @module
 */
import { dayDates, isCurrent } from "./rules.js";
import { h } from "./vdom.js";
import { dayLabel, slotLabel } from "./labels.js";
import { checkedIn, chosenDay, eventZone, rooms, safeUrl, topicTracks } from "./where.js";
import { badge, banners, richText, roomTable, wherePart } from "./pieces.js";

/**
 * @typedef {import("./where.js").Slot} Slot
 * @typedef {import("./where.js").State} State
 * @typedef {import("./where.js").View} View
 * @typedef {import("./pieces.js").Regions} Regions
 */

/**
 * @param {State} state
 * @param {View} view
 */
function nowList(state, view) {
  const tracks = topicTracks(state);
  if (!tracks.length) return [h("p", { class: "empty" }, "No track has told us its topic yet.")];
  const people = checkedIn(state);
  return [h(
    "ul",
    { class: "now-list" },
    tracks.map((t) => {
      const names = people.get(t) ?? [];
      return h(
        "li",
        { "data-track": t },
        h("div", { class: "now-head" }, badge(state, t, view.now), " ", wherePart(state, t, view)),
        h("p", { class: "topic" }, richText(state, state.now[t], view.now)),
        h(
          "p",
          { class: "people" },
          names.length ? `${names.length} here: ${names.join(", ")}` : "Nobody checked in",
        ),
      );
    }),
  )];
}

/**
 * @param {State} state
 * @param {View} view
 */
function nextList(state, view) {
  const tracks = Object.keys(state.next ?? {}).filter((t) => state.next[t]?.length).sort();
  if (!tracks.length) return [h("p", { class: "empty" }, "Nothing announced yet.")];
  return [h(
    "ul",
    { class: "next" },
    tracks.map((t) =>
      h(
        "li",
        {},
        badge(state, t, view.now),
        h(
          "ol",
          {},
          state.next[t].map((/** @type {unknown} */ topic) =>
            h("li", { class: "topic" }, richText(state, topic, view.now))
          ),
        ),
      )
    ),
  )];
}

/**
 * @param {string} name
 * @param {Record<string, string>} room
 */
function roomHeader(name, room) {
  const href = safeUrl(room.url);
  const icon = room.cap_icon
    ? safeUrl(room.cap_icon)
      ? h("img", {
        src: safeUrl(room.cap_icon),
        alt: room.cap_desc || "",
        class: "cap",
        width: 20,
        height: 20,
      })
      : h("span", { class: "cap", title: room.cap_desc || undefined, "aria-hidden": "true" }, room.cap_icon)
    : null;
  return h(
    "th",
    { scope: "row" },
    href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }, name) : name,
    icon ? [" ", icon] : null,
    room.cap_desc ? h("span", { class: "visually-hidden" }, ` (${room.cap_desc})`) : null,
    room.desc ? h("small", {}, room.desc) : null,
  );
}

/**
 * The id of the chosen day's tab, when there is one.
 * @param {State} state
 * @param {View} view
 */
function dayTabId(state, view) {
  const i = Object.keys(state.slots ?? {}).indexOf(chosenDay(state, view) ?? "");
  return i < 0 ? undefined : `day-${i}`;
}

/**
 * The day tabs (an ARIA tab widget: the chosen one is the one tab stop).
 * @param {State} state
 * @param {View} view
 */
function dayTabs(state, view) {
  const days = Object.keys(state.slots ?? {});
  const day = chosenDay(state, view);
  const dates = dayDates(state.slots ?? {}, eventZone(state));
  return days.map((d, i) =>
    h("button", {
      type: "button",
      role: "tab",
      id: `day-${i}`,
      "data-day": d,
      "aria-controls": "schedule",
      "aria-selected": String(d === day),
      tabindex: d === day ? "0" : "-1",
      class: d === day ? "tab active" : "tab",
    }, dayLabel(d, dates.get(d)))
  );
}

/**
 * @param {State} state
 * @param {View} view
 */
function schedule(state, view) {
  const days = Object.keys(state.slots ?? {});
  if (!days.length) return [h("p", { class: "empty" }, "No schedule published.")];
  const day = chosenDay(state, view) ?? days[0];
  const dates = dayDates(state.slots ?? {}, eventZone(state));
  const slots = /** @type {Slot[]} */ (state.slots[day] ?? []);
  return [h(
    "div",
    {
      class: "scroll",
      tabindex: "0",
      role: "region",
      "aria-label": `Schedule of ${dayLabel(day, dates.get(day))}`,
    },
    roomTable({
      className: "schedule",
      caption: `Rooms and tracks on ${dayLabel(day, dates.get(day))}`,
      slots,
      rooms: rooms(state),
      now: view.now,
      head: (s) => [
        h("span", {}, s.name),
        h("small", {}, slotLabel(s, view.timeZone)),
        isCurrent(s, view.now) ? h("small", { class: "now-label" }, "now") : null,
      ],
      row: roomHeader,
      cell: (name, room, s) => {
        const value = room[s.name];
        if (value === undefined) return h("span", { class: "none", title: "not available" }, "–");
        if (value === "") {
          return h(
            "code",
            { class: "free", title: "Free: book it with #TRACK book CODE" },
            `${name}-${s.name}`,
          );
        }
        return badge(state, value, view.now);
      },
    }),
  )];
}

/**
 * The page title's text.
 * @param {State} state
 */
function title(state) {
  return state.eventid ? `${state.eventid}: tracks` : "Event tracks";
}

/**
 * The main page's regions.
 * @param {State} state
 * @param {View} view
 * @returns {Regions}
 */
export function ptgRegions(state, view) {
  return {
    title: [title(state)],
    banners: banners(state, view.now),
    now: nowList(state, view),
    days: dayTabs(state, view),
    panel: [h("div", {
      id: "schedule",
      role: "tabpanel",
      "aria-labelledby": dayTabId(state, view),
    }, schedule(state, view))],
    next: nextList(state, view),
    updated: [String(state.timestamp || "never")],
  };
}
