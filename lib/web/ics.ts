/** iCalendar feeds: one event per booked slot that has a start time. */
import ical from "ical-generator";
import type { State } from "../state/model.ts";
import { isSlotKey } from "../state/schedule.ts";
import { etherpadOf, slotTimes } from "../shared/rules.js";
import { isWebUrl } from "../state/validate.ts";

/**
 * The calendar of one track, or of every track when `track` is undefined.
 * `stamp` is the DTSTAMP (the state's last change) so the bytes only change with the state.
 */
export function calendar(state: State, track: string | undefined, etherpadBase: string, stamp: Date): string {
  const name = track ? `#${track} at ${state.eventid || "the event"}` : (state.eventid || "Event");
  const cal = ical({ name, prodId: { company: "ptgbot", product: "ptgbot" } });
  for (const [day, slots] of Object.entries(state.slots)) {
    for (const slot of slots) {
      const times = slotTimes(slot);
      if (!times) continue;
      for (const [room, entries] of Object.entries(state.schedule)) {
        const booked = entries[slot.name];
        if (!booked || !isSlotKey(slot.name) || (track && booked !== track)) continue;
        const url = [state.urls[booked], entries.url].find((u) => u && isWebUrl(u));
        const pad = etherpadOf(state, booked, etherpadBase);
        const lines = [`Track #${booked} in ${room} (${day} ${slot.desc})`];
        if (isWebUrl(pad)) lines.push(`Etherpad: ${pad}`);
        if (url) lines.push(`URL: ${url}`);
        cal.createEvent({
          id: `${encodeURIComponent(state.eventid || "ptg")}-${encodeURIComponent(room)}-${slot.name}@ptgbot`,
          start: new Date(times.start),
          end: new Date(times.end),
          stamp,
          summary: `#${booked} (${room})`,
          location: room,
          description: lines.join("\n"),
          url: url ?? null,
        });
      }
    }
  }
  return cal.toString();
}
