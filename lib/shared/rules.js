// @ts-check
/**
 * Rules the server and the browser both apply: which event day is today,
 * when a slot runs, and a track's etherpad. Plain JavaScript (type-checked
 * through JSDoc) so that the pages import this very file, served as
 * `/assets/rules.js`, and the two sides can never disagree.
 *
 * @module
 */

/**
 * A slot of one day, as listed under `slots`.
 * @typedef {{ name: string, desc?: string, realtime?: string, duration?: number }} SlotLike
 */

/** Weekday names as event documents spell the days, Sunday first (as `Date.getUTCDay` counts). */
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A slot lasts this long when it says nothing. */
const DEFAULT_SLOT_MINUTES = 60;

/** Pads are named after the event and track under this base unless configured otherwise. */
export const DEFAULT_ETHERPAD_BASE = "https://etherpad.opendev.org/p/";

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu"]);

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/** @param {string} timeZone */
function formatter(timeZone) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * A moment as a clock in `timeZone` shows it: its date (`YYYY-MM-DD`), its
 * weekday name, and the state's timestamp format (`YYYY-MM-DD HH:MM:SS`).
 * @param {Date | number} moment
 * @param {string} timeZone an IANA zone
 * @returns {{ date: string, weekday: string, stamp: string }}
 */
export function localTime(moment, timeZone) {
  const date = typeof moment === "number" ? new Date(moment) : moment;
  if (UTC_NAMES.has(timeZone)) {
    // Servers mostly run in UTC: no need to load the time zone data for it.
    const iso = date.toISOString();
    return {
      date: iso.slice(0, 10),
      weekday: WEEKDAYS[date.getUTCDay()],
      stamp: `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    };
  }
  /** @type {Record<string, string>} */
  const p = {};
  for (const part of formatter(timeZone).formatToParts(date)) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  return { date: day, weekday: p.weekday, stamp: `${day} ${p.hour}:${p.minute}:${p.second}` };
}

/**
 * How far the clock in `timeZone` is ahead of UTC at a moment, in ms (to the
 * minute): local wall time = UTC + offset.
 * @param {number} moment ms since the epoch
 * @param {string} timeZone an IANA zone
 */
export function zoneOffset(moment, timeZone) {
  const s = localTime(moment, timeZone).stamp;
  const wall = Date.UTC(
    +s.slice(0, 4),
    +s.slice(5, 7) - 1,
    +s.slice(8, 10),
    +s.slice(11, 13),
    +s.slice(14, 16),
  );
  return wall - Math.floor(moment / 60_000) * 60_000;
}

/**
 * An IANA zone's name: an area and a place (`Europe/Berlin`,
 * `America/Argentina/Buenos_Aires`, `Etc/GMT+5`), or UTC. Abbreviations
 * (`PST`, `CET`) and POSIX rules (`EST5EDT`) are left out: they name no
 * place, and several stand for different offsets in different places.
 */
const IANA_ZONE =
  /^(UTC|(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)(\/[A-Za-z0-9_+-]+){1,2})$/;

/**
 * True when `name` is an IANA time zone (see IANA_ZONE) this runtime knows.
 * @param {string} name
 */
export function isTimeZone(name) {
  if (!IANA_ZONE.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Start and end of a slot in ms since the epoch, when it has a `realtime`.
 * @param {SlotLike} slot
 * @returns {{ start: number, end: number } | undefined}
 */
export function slotTimes(slot) {
  if (!slot.realtime) return undefined;
  const start = Date.parse(slot.realtime);
  if (Number.isNaN(start)) return undefined;
  return { start, end: start + (slot.duration ?? DEFAULT_SLOT_MINUTES) * 60_000 };
}

/**
 * True while the slot runs.
 * @param {SlotLike} slot
 * @param {Date | number} now
 */
export function isCurrent(slot, now) {
  const t = slotTimes(slot);
  const at = typeof now === "number" ? now : now.getTime();
  return t !== undefined && t.start <= at && at < t.end;
}

/**
 * The calendar date of each day whose slots carry times (the date of its
 * first timed slot in the event's zone); an event without times has none.
 * @param {Record<string, SlotLike[]>} slots
 * @param {string} timeZone
 * @returns {Map<string, string>} day name to `YYYY-MM-DD`
 */
export function dayDates(slots, timeZone) {
  /** @type {Map<string, string>} */
  const dates = new Map();
  for (const [day, list] of Object.entries(slots)) {
    const timed = (list ?? []).map(slotTimes).find((t) => t !== undefined);
    if (timed) dates.set(day, localTime(timed.start, timeZone).date);
  }
  return dates;
}

/**
 * The event day that is today, or undefined when none is. When the slots
 * carry times, today is the day whose date is the current date in the
 * event's zone (so outside the event's dates no day is); otherwise it is the
 * day named after the current weekday there.
 * @param {Record<string, SlotLike[]>} slots
 * @param {Date | number} now
 * @param {string} timeZone
 * @returns {string | undefined}
 */
export function todayOf(slots, now, timeZone) {
  const local = localTime(now, timeZone);
  const dates = dayDates(slots, timeZone);
  if (dates.size) {
    for (const [day, date] of dates) if (date === local.date) return day;
    return undefined;
  }
  return Object.hasOwn(slots, local.weekday) ? local.weekday : undefined;
}

/**
 * The day a schedule opens on: today; else, for an event with dates, its
 * next day (before or between days) or its last one (after the event); else
 * the first day.
 * @param {Record<string, SlotLike[]>} slots
 * @param {Date | number} now
 * @param {string} timeZone
 * @returns {string | undefined}
 */
export function openingDay(slots, now, timeZone) {
  const today = todayOf(slots, now, timeZone);
  if (today !== undefined) return today;
  const days = Object.keys(slots);
  const dates = dayDates(slots, timeZone);
  if (!dates.size) return days[0];
  const current = localTime(now, timeZone).date;
  let next;
  let last;
  for (const [day, date] of dates) {
    if (date > current && (next === undefined || date < /** @type {string} */ (dates.get(next)))) next = day;
    if (last === undefined || date > /** @type {string} */ (dates.get(last))) last = day;
  }
  return next ?? last;
}

/**
 * @typedef {{ room: string, slot: SlotLike }} Booking
 */

/**
 * Every track's bookings on a day, in slot order (rooms in the event's order
 * within a slot).
 * @param {Record<string, SlotLike[]>} slots
 * @param {Record<string, Record<string, string>>} schedule
 * @param {string | undefined} day
 * @returns {Map<string, Booking[]>}
 */
export function bookingsOn(slots, schedule, day) {
  /** @type {Map<string, Booking[]>} */
  const out = new Map();
  if (day === undefined) return out;
  for (const slot of slots[day] ?? []) {
    for (const [room, entries] of Object.entries(schedule)) {
      const track = entries[slot.name];
      if (!track) continue;
      const list = out.get(track);
      if (list) list.push({ room, slot });
      else out.set(track, [{ room, slot }]);
    }
  }
  return out;
}

/**
 * Where a track is, among its bookings of the day: the one running at
 * `now`, else its next one, else its first. The bot's `#TRACK now` and the
 * pages' "where" both ask this.
 * @param {Booking[]} bookings one track's, in slot order
 * @param {Date | number} now
 * @returns {Booking | undefined}
 */
export function pickBooking(bookings, now) {
  const at = typeof now === "number" ? now : now.getTime();
  return bookings.find((b) => isCurrent(b.slot, at)) ??
    bookings.find((b) => (slotTimes(b.slot)?.start ?? -Infinity) > at) ?? bookings[0];
}

/**
 * A track's etherpad: its own, else one named `EVENTID-TRACK` under the base.
 * @param {{ eventid?: string, etherpads?: Record<string, string> }} state
 * @param {string} track
 * @param {string} base
 */
export function etherpadOf(state, track, base) {
  const own = state.etherpads?.[track];
  if (own) return own;
  return `${base}${state.eventid ? `${state.eventid}-` : ""}${track}`;
}
