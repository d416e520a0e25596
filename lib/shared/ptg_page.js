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
import { altPart, badge, banners, richText, roomTable, wherePart } from "./pieces.js";
import { calendarHref, filtering, queryOf, roomShown, shown } from "./mine.js";

/**
 * @typedef {import("./where.js").Slot} Slot
 * @typedef {import("./where.js").State} State
 * @typedef {import("./where.js").View} View
 * @typedef {import("./pieces.js").Regions} Regions
 */

/**
 * A track's star: a toggle button, drawn only where the page's script keeps
 * the stars (the view has `mine`).
 * @param {string} track
 * @param {View} view
 */
function star(track, view) {
  if (!view.mine) return null;
  const on = view.mine.includes(track);
  return [
    h("button", {
      type: "button",
      class: "star",
      "data-star": track,
      "aria-pressed": String(on),
      "aria-label": `Star #${track}`,
      title: on ? `Unstar #${track}` : `Star #${track}`,
    }, on ? "\u2605" : "\u2606"),
    " ",
  ];
}

/**
 * What shows when a filter leaves nothing of a list.
 * @param {View} view
 * @param {string} none what shows when nothing is filtered
 */
function emptyNote(view, none) {
  if (!filtering(view)) return [h("p", { class: "empty" }, none)];
  const q = queryOf(view);
  return [
    h("p", { class: "empty" }, q ? `Nothing here matches \u201c${q}\u201d.` : "None of your tracks here."),
  ];
}

/**
 * A track's line head, the same in "On now" and "My tracks": its star, its badge and where it is.
 * @param {State} state
 * @param {string} t
 * @param {View} view
 */
function trackHead(state, t, view) {
  return h(
    "div",
    { class: "now-head" },
    star(t, view),
    badge(state, t, view.now),
    " ",
    wherePart(state, t, view),
  );
}

/**
 * @param {State} state
 * @param {View} view
 */
function nowList(state, view) {
  const tracks = topicTracks(state).filter((t) => shown(state, view, t));
  if (!tracks.length) return emptyNote(view, "No track has told us its topic yet.");
  const people = checkedIn(state);
  return [h(
    "ul",
    { class: "now-list" },
    tracks.map((t) => {
      const names = people.get(t) ?? [];
      return h(
        "li",
        { "data-track": t },
        trackHead(state, t, view),
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
  const tracks = Object.keys(state.next ?? {}).filter((t) => state.next[t]?.length && shown(state, view, t))
    .sort();
  if (!tracks.length) return emptyNote(view, "Nothing announced yet.");
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
  const inView = rooms(state).filter(([name, room]) =>
    roomShown(state, view, name, slots.map((s) => room[s.name]).filter((t) => t))
  );
  if (!inView.length) return emptyNote(view, "No rooms.");
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
      rooms: inView,
      now: view.now,
      head: (s) => [
        h("span", {}, s.name),
        h("small", {}, slotLabel(s, view.timeZone)),
        altPart(s, view),
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
 * The starred tracks first: for each, where and when, what is on now and
 * next; then the feed of just them. Drawn only in the browser, which keeps
 * the stars.
 * @param {State} state
 * @param {View} view
 */
function mineList(state, view) {
  if (!view.mine) return [];
  const tracks = view.mine.filter((t) => Array.isArray(state.tracks) && state.tracks.includes(t));
  const list = tracks.length
    ? h(
      "ul",
      { class: "now-list mine-list" },
      tracks.map((t) => {
        const next = Array.isArray(state.next?.[t]) ? state.next[t] : [];
        return h(
          "li",
          { "data-track": t },
          trackHead(state, t, view),
          h(
            "p",
            { class: "topic" },
            h("span", { class: "label" }, "Now: "),
            state.now?.[t] ? richText(state, state.now[t], view.now) : "no topic yet",
          ),
          next.length
            ? h(
              "p",
              { class: "topic" },
              h("span", { class: "label" }, "Next: "),
              richText(state, next[0], view.now),
            )
            : null,
        );
      }),
    )
    : h("p", { class: "empty" }, "No starred tracks yet: star one (\u2606) to keep it here, first.");
  return [
    list,
    h(
      "p",
      { class: "calendar" },
      h(
        "a",
        { id: "my-calendar", href: calendarHref(tracks) },
        tracks.length ? "Calendar feed of my tracks" : "Calendar feed of every track",
      ),
    ),
  ];
}

/**
 * Every track with its star, to choose from (the browser's only).
 * @param {State} state
 * @param {View} view
 */
function pickList(state, view) {
  if (!view.mine) return [];
  const tracks = Array.isArray(state.tracks) ? state.tracks : [];
  return [h("ul", { class: "pick-list" }, tracks.map((t) => h("li", {}, star(t, view), `#${t}`)))];
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
    mine: mineList(state, view),
    pick: pickList(state, view),
    now: nowList(state, view),
    days: dayTabs(state, view),
    panel: [h("div", {
      id: "schedule",
      role: "tabpanel",
      "aria-labelledby": dayTabId(state, view),
    }, schedule(state, view))],
    next: nextList(state, view),
    // In the zone button's label, drawn by the server so the button keeps its width when the script runs.
    event_zone: [eventZone(state)],
    updated: [String(state.timestamp || "never")],
  };
}
