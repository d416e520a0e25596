// @ts-check
/**
 * The pieces several pages draw: a track's badge, text with its links (the
 * one rule for links in what people type: http(s) URLs and `#track`
 * mentions), the banners, where a track is, a table of rooms by slots.
 * Colours never appear here: a badge carries a class per track, styled by
 * `/tracks.css`.
 *
 * @module
 */
import { isCurrent } from "./rules.js";
import { h, normalize } from "./vdom.js";
import { altSlotLabel, slotLabel } from "./labels.js";
import { safeUrl, trackUrl, whereOf } from "./where.js";

/**
 * @typedef {import("./vdom.js").VNode} VNode
 * @typedef {import("./vdom.js").Child} Child
 * @typedef {import("./vdom.js").ChildArg} ChildArg
 * @typedef {import("./where.js").Slot} Slot
 * @typedef {import("./where.js").State} State
 * @typedef {import("./where.js").View} View
 */

/**
 * A page's live regions, each the children of the element of that id.
 * @typedef {Record<string, Child[]>} Regions
 */

const TRACK_CLASS = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The class that carries a track's colour (`/tracks.css` defines it).
 * @param {string} track
 */
export function trackClass(track) {
  return TRACK_CLASS.test(track) ? `t-${track}` : "";
}

/**
 * A track badge: a link when the track has somewhere to go (see `trackUrl`
 * for what `now` changes).
 * @param {State} state
 * @param {string} track
 * @param {number} [now]
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
 * Text with links made by code: http(s) URLs become links, `#track` mentions
 * of known tracks badges; the rest stays text. `now` is as for `badge`.
 * @param {State} state
 * @param {unknown} value
 * @param {number} [now]
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
 * "Where" of one current topic: room (linked) and slot, or "no room today".
 * @param {State} state
 * @param {string} track
 * @param {View} view
 */
export function wherePart(state, track, view) {
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
        altPart(w.slot, view),
      ]
      : null,
  );
}

/**
 * The slot's time in the other zone, when it differs (`altSlotLabel`), as a
 * quieter part beside the main one.
 * @param {Slot} slot
 * @param {View} view
 */
export function altPart(slot, view) {
  const other = altSlotLabel(slot, view);
  return other ? h("small", { class: "alt-time" }, ` (${other})`) : null;
}

/**
 * A table of rooms by slots, the running slot's column marked.
 * @param {{ className: string, caption: string, captionClass?: string, slots: Slot[],
 *   rooms: [string, Record<string, string>][], now: number,
 *   head: (s: Slot) => ChildArg, row: (name: string, room: Record<string, string>) => VNode,
 *   cell: (name: string, room: Record<string, string>, s: Slot) => ChildArg }} o
 */
export function roomTable(o) {
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
