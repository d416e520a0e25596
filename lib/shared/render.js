// @ts-check
/**
 * What the pages show, as a small tree of plain objects that both sides
 * read: the server writes it as HTML (escaped here, once) so a page arrives
 * with the state in it, and the browser patches its DOM to match the tree so
 * only what changed is touched. One renderer, so the two never disagree.
 *
 * Text from the state only ever becomes text nodes or attribute values,
 * both escaped; links are made only from http(s) URLs; colours never appear
 * here (badges carry a class per track, styled by `/tracks.css`).
 *
 * @module
 */
import {
  bookingsOn,
  dayDates,
  DEFAULT_ETHERPAD_BASE,
  etherpadOf,
  isCurrent,
  openingDay,
  pickBooking,
  slotTimes,
} from "./rules.js";

/**
 * An element: tag, attributes (strings only), children (elements or text).
 * @typedef {{ tag: string, attrs: Record<string, string>, children: Child[] }} VNode
 * @typedef {VNode | string} Child
 * @typedef {Child | null | undefined | false} Leaf
 * @typedef {Leaf | Leaf[] | Leaf[][]} ChildArg
 */

/**
 * Makes an element. Attributes whose value is undefined, null or false are
 * left out; adjacent text is joined and empty text dropped, so the tree has
 * the shape the HTML parser gives its markup back.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined | null>} [attrs]
 * @param {...ChildArg} children
 * @returns {VNode}
 */
export function h(tag, attrs = {}, ...children) {
  /** @type {Record<string, string>} */
  const a = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    a[k] = v === true ? "" : String(v);
  }
  return { tag, attrs: a, children: normalize(children) };
}

/**
 * @param {ChildArg[]} list
 * @returns {Child[]}
 */
export function normalize(list) {
  /** @type {Child[]} */
  const out = [];
  const add = (/** @type {ChildArg} */ c) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) return c.forEach(add);
    if (typeof c === "string") {
      if (c === "") return;
      if (typeof out[out.length - 1] === "string") out[out.length - 1] += c;
      else out.push(c);
      return;
    }
    out.push(c);
  };
  list.forEach(add);
  return out;
}

/** @type {Record<string, string>} */
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const VOID = new Set(["img", "br", "input", "meta", "link"]);
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The tree as HTML. Tags and attribute names come from code; they are
 * checked anyway, so that a slip can never open a hole.
 * @param {Child | Child[]} node
 * @returns {string}
 */
export function toHtml(node) {
  if (Array.isArray(node)) return node.map(toHtml).join("");
  if (typeof node === "string") return escapeHtml(node);
  if (!NAME.test(node.tag)) throw new Error(`bad tag ${node.tag}`);
  let out = `<${node.tag}`;
  for (const [k, v] of Object.entries(node.attrs)) {
    if (!NAME.test(k) || k.startsWith("on")) throw new Error(`bad attribute ${k}`);
    out += v === "" ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  out += ">";
  if (VOID.has(node.tag)) return out;
  return `${out}${node.children.map(toHtml).join("")}</${node.tag}>`;
}

// ---------------------------------------------------------------- rules

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

const TRACK_CLASS = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The class that carries a track's colour (`/tracks.css` defines it).
 * @param {string} track
 */
export function trackClass(track) {
  return TRACK_CLASS.test(track) ? `t-${track}` : "";
}

/**
 * @typedef {{ name: string, desc?: string, realtime?: string, duration?: number }} Slot
 * @typedef {Record<string, any>} State
 * @typedef {{ now: number, timeZone: string, day?: string }} View
 */

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
 * Rooms in the order the event gives them.
 * @param {State} state
 * @returns {[string, Record<string, string>][]}
 */
function rooms(state) {
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
 * Where a track's badge points: the track's URL, else its room's today.
 * @param {State} state
 * @param {string} track
 * @param {number} now
 */
export function trackUrl(state, track, now) {
  const own = safeUrl(state.urls?.[track]);
  if (own) return own;
  const w = whereOf(state, track, now);
  return w.href;
}

/**
 * @param {number} ms
 * @param {string} timeZone
 */
function clock(ms, timeZone) {
  let f = CLOCKS.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone });
    } catch {
      f = null;
    }
    CLOCKS.set(timeZone, f);
  }
  return f ? f.format(ms) : new Date(ms).toISOString().slice(11, 16);
}

/** @type {Map<string, Intl.DateTimeFormat | null>} */
const CLOCKS = new Map();

/**
 * The slot's time on the viewer's clock, else its description.
 * @param {Slot} slot
 * @param {string} timeZone
 */
export function slotLabel(slot, timeZone) {
  const t = slotTimes(slot);
  if (!t) return slot.desc ?? "";
  return `${clock(t.start, timeZone)}–${clock(t.end, timeZone)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A day's tab label: its name, and its date when its slots have times.
 * @param {string} day
 * @param {string | undefined} date `YYYY-MM-DD`
 */
export function dayLabel(day, date) {
  if (!date) return day;
  const [, m, d] = date.split("-").map(Number);
  return `${day} ${d} ${MONTHS[m - 1] ?? ""}`.trim();
}

// ---------------------------------------------------------------- pieces

/**
 * A track badge: a link when the track has somewhere to go.
 * @param {State} state
 * @param {string} track
 * @param {number} now
 */
export function badge(state, track, now) {
  const known = Array.isArray(state.tracks) && state.tracks.includes(track);
  const href = known ? trackUrl(state, track, now) : undefined;
  const cls = `badge ${known ? trackClass(track) : "unknown"}`.trim();
  return href
    ? h("a", { class: cls, href, title: `Join #${track}`, rel: "noopener noreferrer" }, `#${track}`)
    : h("span", { class: cls }, `#${track}`);
}

const TOKENS = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]|#[a-z0-9][a-z0-9_-]*)/gi;

/**
 * Text with http(s) links and #track badges made by code; the rest stays text.
 * @param {State} state
 * @param {unknown} value
 * @param {number} now
 * @returns {Child[]}
 */
export function richText(state, value, now) {
  const text = String(value ?? "");
  /** @type {ChildArg[]} */
  const out = [];
  let last = 0;
  for (const m of text.matchAll(TOKENS)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = m[0];
    if (token.startsWith("#")) {
      const track = token.slice(1).toLowerCase();
      out.push(state.tracks?.includes(track) ? badge(state, track, now) : token);
    } else {
      const href = safeUrl(token);
      out.push(href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, token) : token);
    }
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return normalize(out);
}

/**
 * The banners, links clickable.
 * @param {State} state
 * @param {number} now
 */
export function banners(state, now) {
  return (Array.isArray(state.motd) ? state.motd : []).map((m) =>
    h("div", {
      class: `banner banner-${
        ["info", "success", "warning", "danger"].includes(m?.level) ? m.level : "info"
      }`,
    }, richText(state, m?.message ?? "", now))
  );
}

/**
 * People checked in to each track (by "#track" location), still there.
 * @param {State} state
 * @returns {Map<string, string[]>}
 */
export function checkedIn(state) {
  const byTrack = new Map();
  for (const c of Object.values(state.last_check_in ?? {})) {
    if (c?.out || typeof c?.location !== "string" || !c.location.startsWith("#")) continue;
    const track = c.location.slice(1);
    if (!byTrack.has(track)) byTrack.set(track, []);
    byTrack.get(track).push(String(c.nick));
  }
  for (const names of byTrack.values()) names.sort();
  return byTrack;
}

/**
 * Tracks with a current topic, sorted.
 * @param {State} state
 */
function topicTracks(state) {
  return Object.keys(state.now ?? {}).filter((t) => state.now[t]).sort();
}

/**
 * "Where" of one current topic: room (linked) and slot, or "no room today".
 * @param {State} state
 * @param {string} track
 * @param {View} view
 */
function wherePart(state, track, view) {
  const w = whereOf(state, track, view.now);
  if (w.none) return h("span", { class: "where none-today" }, "No room today");
  const place = w.href ? h("a", { href: w.href, rel: "noopener noreferrer" }, w.place ?? "") : w.place;
  return h(
    "span",
    { class: "where" },
    h("span", { class: "room" }, place),
    w.slot
      ? [
        " · ",
        h(
          "span",
          { class: isCurrent(w.slot, view.now) ? "slot slot-now" : "slot" },
          slotLabel(w.slot, view.timeZone),
        ),
      ]
      : null,
  );
}

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
 * The chosen day: the view's when it is one of the event's, else the opening day.
 * @param {State} state
 * @param {View} view
 */
export function chosenDay(state, view) {
  const days = Object.keys(state.slots ?? {});
  return view.day && days.includes(view.day) ? view.day : shownDay(state, view.now);
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
 * A table of rooms by slots, the running slot's column marked.
 * @param {{ className: string, caption: string, captionClass?: string, slots: Slot[],
 *   rooms: [string, Record<string, string>][], now: number,
 *   head: (s: Slot) => ChildArg, row: (name: string, room: Record<string, string>) => VNode,
 *   cell: (name: string, room: Record<string, string>, s: Slot) => ChildArg }} o
 */
function roomTable(o) {
  const current = (/** @type {Slot} */ s) => (isCurrent(s, o.now) ? "current" : undefined);
  return h(
    "table",
    { class: o.className },
    h("caption", { class: o.captionClass }, o.caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Room"),
        o.slots.map((s) =>
          h("th", { scope: "col", class: current(s), title: s.desc || undefined }, o.head(s))
        ),
      ),
    ),
    h(
      "tbody",
      {},
      o.rooms.map(([name, room]) =>
        h(
          "tr",
          {},
          o.row(name, room),
          o.slots.map((s) => h("td", { class: current(s) }, o.cell(name, room, s))),
        )
      ),
    ),
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
 * @typedef {Record<string, Child[]>} Regions
 */

/**
 * The main page's regions (each the children of the element of that id).
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

/**
 * @param {State} state
 * @param {View} view
 * @returns {Regions}
 */
export function etherpadsRegions(state, view) {
  const tracks = Array.isArray(state.tracks) ? state.tracks : [];
  const base = typeof state.etherpad_base === "string" ? state.etherpad_base : DEFAULT_ETHERPAD_BASE;
  return {
    banners: banners(state, view.now),
    pads: tracks.length
      ? [h(
        "ul",
        { class: "pads" },
        tracks.map((/** @type {string} */ t) => {
          const href = safeUrl(etherpadOf(state, t, base));
          return h(
            "li",
            {},
            badge(state, t, view.now),
            " ",
            href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }, href) : "–",
          );
        }),
      )]
      : [h("p", { class: "empty" }, "No tracks yet.")],
    updated: [String(state.timestamp || "never")],
  };
}

/**
 * @param {State} state
 * @param {View} view
 * @returns {Regions}
 */
export function linksRegions(state, view) {
  const links = Object.entries(state.links ?? {}).filter(([, url]) => safeUrl(url));
  return {
    banners: banners(state, view.now),
    links: links.length
      ? [h(
        "ul",
        { class: "links" },
        links.map(([name, url]) =>
          h("li", {}, h("a", { href: safeUrl(url), rel: "noopener noreferrer" }, name))
        ),
      )]
      : [h("p", { class: "empty" }, "No links yet.")],
    updated: [String(state.timestamp || "never")],
  };
}

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

/** Each page's renderer, by the name the page's script and the server use. */
export const RENDERERS = {
  ptg: ptgRegions,
  etherpads: etherpadsRegions,
  links: linksRegions,
  signage: signageRegions,
};
