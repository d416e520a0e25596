/**
 * iCalendar feeds (RFC 5545): one event per booked slot that has a start
 * time, for every track, one track or a set of tracks.
 *
 * - Times are written in the event's zone (`DTSTART;TZID=…`) with that
 *   zone's VTIMEZONE (`vtimezone.ts`), or in UTC when the event is in UTC.
 * - A slot's UID is built from the event, room and slot code only: the same
 *   slot keeps its UID across versions of the state and across processes.
 * - DTSTAMP and LAST-MODIFIED are the state's last change (its `timestamp`,
 *   read in the event's zone). That moves whenever any booking changes, so
 *   it always moves when this slot's does; it is stored with the state, so
 *   a restart does not move it. SEQUENCE is the same moment counted in
 *   seconds since 2020-01-01 UTC: it only grows as the state changes, and is
 *   as stable as the timestamp (an integer that fits RFC 5545's INTEGER
 *   until 2088).
 *
 * @module
 */
import ical from "ical-generator";
import type { State } from "../state/model.ts";
import { isSlotKey } from "../state/schedule.ts";
import { etherpadOf, slotTimes } from "../shared/rules.js";
import { isWebUrl } from "../state/validate.ts";
import { vtimezone } from "./vtimezone.ts";

/** The state's `timestamp` (wall-clock time in the event's zone) as a moment; the epoch when unreadable. */
export function stampOf(state: State, timeZone: string): Date {
  try {
    const t = Temporal.PlainDateTime.from(state.timestamp.trim().replace(" ", "T"));
    return new Date(t.toZonedDateTime(timeZone).epochMilliseconds);
  } catch {
    return new Date(0);
  }
}

/** The UID of one room's slot: stable for as long as the event, room and slot code are. */
export function slotUid(state: State, room: string, slot: string): string {
  return `${encodeURIComponent(state.eventid || "ptg")}-${encodeURIComponent(room)}-${slot}@ptgbot`;
}

const SEQUENCE_EPOCH = Date.UTC(2020, 0, 1);

/** The SEQUENCE of every event of a feed built at `stamp` (see the module's notes). */
export function sequenceOf(stamp: Date): number {
  return Math.max(0, Math.floor((stamp.getTime() - SEQUENCE_EPOCH) / 1000));
}

/** What a calendar is built from besides the state. */
export interface CalendarOptions {
  etherpadBase: string;
  /** The state's last change (`stampOf`): DTSTAMP and LAST-MODIFIED. */
  stamp: Date;
  /** The event's IANA zone. */
  timeZone: string;
}

/**
 * The calendar of the tracks in `tracks` (names as the state spells them),
 * or of every track when `tracks` is undefined.
 */
export function calendar(state: State, tracks: readonly string[] | undefined, opts: CalendarOptions): string {
  const event = state.eventid || "the event";
  const name = tracks ? `${tracks.map((t) => `#${t}`).join(", ")} at ${event}` : (state.eventid || "Event");
  const zoned = opts.timeZone !== "UTC";
  const wanted = tracks ? new Set(tracks) : undefined;
  const years: number[] = [];
  const sequence = sequenceOf(opts.stamp);
  const cal = ical({ name, prodId: { company: "ptgbot", product: "ptgbot" } });
  for (const [day, slots] of Object.entries(state.slots)) {
    for (const slot of slots) {
      const times = slotTimes(slot);
      if (!times || !isSlotKey(slot.name)) continue;
      for (const [room, entries] of Object.entries(state.schedule)) {
        const booked = entries[slot.name];
        if (!booked || (wanted && !wanted.has(booked))) continue;
        const url = [state.urls[booked], entries.url].find((u) => u && isWebUrl(u));
        const pad = etherpadOf(state, booked, opts.etherpadBase);
        const lines = [`Track #${booked} in ${room} (${day} ${slot.desc})`];
        if (isWebUrl(pad)) lines.push(`Etherpad: ${pad}`);
        if (url) lines.push(`URL: ${url}`);
        const start = Temporal.Instant.fromEpochMilliseconds(times.start).toZonedDateTimeISO(opts.timeZone);
        const end = Temporal.Instant.fromEpochMilliseconds(times.end).toZonedDateTimeISO(opts.timeZone);
        years.push(start.year, end.year);
        cal.createEvent({
          id: slotUid(state, room, slot.name),
          start: zoned ? start : new Date(times.start),
          end: zoned ? end : new Date(times.end),
          timezone: zoned ? opts.timeZone : null,
          stamp: opts.stamp,
          lastModified: opts.stamp,
          sequence,
          summary: `#${booked} (${room})`,
          location: room,
          description: lines.join("\n"),
          url: url ?? null,
        });
      }
    }
  }
  if (zoned && years.length) {
    const from = Math.min(...years);
    const to = Math.max(...years);
    // No calendar-wide zone: DTSTAMP and LAST-MODIFIED must stay in UTC; each event names its own.
    cal.timezone({ name: null, generator: (zone) => vtimezone(zone, from, to) });
  }
  return cal.toString();
}
