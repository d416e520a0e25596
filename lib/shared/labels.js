// @ts-check
/**
 * How times and days read on the pages: a clock in the viewer's zone, a
 * slot's time span, a day's tab label.
 *
 * @module
 */
import { slotTimes } from "./rules.js";

/**
 * @typedef {import("./where.js").Slot} Slot
 * @typedef {import("./where.js").View} View
 */

/** @type {Map<string, Intl.DateTimeFormat | null>} */
const CLOCKS = new Map();

/**
 * A moment as `HH:MM` in `timeZone` (UTC's when the zone is unknown here).
 * @param {number} ms
 * @param {string} timeZone
 */
export function clock(ms, timeZone) {
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

/**
 * The slot's time in the view's other zone (`view.alt`) when it reads
 * differently there, with that zone's name ("11:00–12:45 your time"); else "".
 * @param {Slot} slot
 * @param {View} view
 */
export function altSlotLabel(slot, view) {
  if (!view.alt || view.alt.zone === view.timeZone || !slotTimes(slot)) return "";
  const other = slotLabel(slot, view.alt.zone);
  return other === slotLabel(slot, view.timeZone) ? "" : `${other} ${view.alt.name}`;
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
