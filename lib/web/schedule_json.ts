/**
 * The schedule in c3voc's `schedule.json` format (the one conference
 * schedule apps and the VOC tooling read), validated in the tests against
 * the format's JSON Schema. Each booked slot with a start time is one talk
 * of its room; docs/feeds.md lists how every field is filled.
 *
 * @module
 */
import type { Room, State } from "../state/model.ts";
import { isSlotKey } from "../state/schedule.ts";
import { etherpadOf, slotTimes } from "../shared/rules.js";
import { isWebUrl } from "../state/validate.ts";
import { slotUid, stampOf } from "./ics.ts";

/** The namespace of the name-based (version 5) UUIDs of rooms and slots. */
const NAMESPACE = "a6b625b6-2d95-4d68-bf3c-e49c79a99546";

/** RFC 9562 version 5 UUID of `name` in NAMESPACE: the same name gives the same UUID in every process. */
async function uuid5(name: string): Promise<string> {
  const ns = Uint8Array.from(NAMESPACE.replaceAll("-", "").match(/../g)!.map((b) => parseInt(b, 16)));
  const bytes = new Uint8Array([...ns, ...new TextEncoder().encode(name)]);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes)).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The format's acronym rule: lower case, letters, digits and `_`, four characters at least. */
export function acronymOf(eventid: string): string {
  const base = eventid.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return base.length >= 4 ? base : base ? `${base}_ptg` : "ptg_event";
}

/** A slug by the format's rule (`^[a-z0-9_-]+[a-z0-9]$`). */
function slugOf(...parts: string[]): string {
  return parts.join("-").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/[^a-z0-9]+$/, "") || "slot";
}

/** `hh:mm` for a number of minutes. */
function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The zone's name as the format's pattern accepts it, else none (`Etc/GMT+1` has no such name). */
function zoneName(timeZone: string): string | undefined {
  return /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/.test(timeZone) ? timeZone : undefined;
}

function iso(ms: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
}

const offsetTime = (z: Temporal.ZonedDateTime) =>
  z.toString({ timeZoneName: "never", fractionalSecondDigits: 0 });

/** The room's own web address (video), if it has a valid one. */
function roomUrl(room: Room): string | undefined {
  return room.url && isWebUrl(room.url) ? room.url : undefined;
}

/** The c3voc schedule of the state's event, in `timeZone`. */
export async function scheduleJson(state: State, timeZone: string): Promise<Record<string, unknown>> {
  const acronym = acronymOf(state.eventid || "ptg");
  const rooms = Object.entries(state.schedule);
  const days: Record<string, unknown>[] = [];
  let shortest = Infinity;
  for (const [day, slots] of Object.entries(state.slots)) {
    const timed = slots.flatMap((s) => {
      const t = slotTimes(s);
      return t && isSlotKey(s.name) ? [{ slot: s, ...t }] : [];
    });
    if (!timed.length) continue;
    const byRoom: Record<string, unknown[]> = Object.create(null);
    for (const [name, room] of rooms) {
      byRoom[name] = [];
      for (const { slot, start, end } of timed) {
        const track = room[slot.name];
        if (!track) continue;
        const minutes = Math.round((end - start) / 60_000);
        shortest = Math.min(shortest, minutes);
        const guid = await uuid5(slotUid(state, name, slot.name));
        const pad = etherpadOf(state, track, "");
        const video = [state.urls[track], roomUrl(room)].find((u) => u && isWebUrl(u));
        const at = iso(start, timeZone);
        const topic = state.now[track] || null;
        byRoom[name].push({
          guid,
          // The format's deprecated number: taken from the UUID, so it is as stable.
          id: (parseInt(guid.slice(0, 8), 16) >>> 1) + 1,
          date: offsetTime(at),
          start: hhmm(at.hour * 60 + at.minute),
          duration: hhmm(minutes),
          room: name,
          slug: slugOf(acronym, track, slot.name),
          url: video ?? (isWebUrl(pad) ? pad : `urn:uuid:${guid}`),
          title: `#${track}`,
          subtitle: topic,
          track,
          type: "meeting",
          language: "en",
          abstract: null,
          description: `Track #${track} in ${name} (${day} ${slot.desc})`,
          persons: [],
          links: isWebUrl(pad) ? [{ type: "web", url: pad, title: "Etherpad" }] : [],
        });
      }
    }
    const first = iso(timed[0].start, timeZone);
    days.push({
      index: days.length + 1,
      date: first.toPlainDate().toString(),
      day_start: offsetTime(first),
      day_end: offsetTime(iso(Math.max(...timed.map((t) => t.end)), timeZone)),
      rooms: byRoom,
    });
  }
  const conference: Record<string, unknown> = {
    acronym,
    title: state.eventid || "Event",
    start: days.length ? days[0].date : stampOf(state, timeZone).toISOString().slice(0, 10),
    end: days.length ? days[days.length - 1].date : stampOf(state, timeZone).toISOString().slice(0, 10),
    daysCount: days.length,
    timeslot_duration: hhmm(Number.isFinite(shortest) ? shortest : 60),
    rooms: await Promise.all(rooms.map(async ([name, room]) => {
      const url = roomUrl(room);
      return {
        name,
        guid: await uuid5(`room ${state.eventid} ${name}`),
        ...(room.desc ? { description: room.desc } : {}),
        ...(url ? { url } : {}),
      };
    })),
    days,
  };
  const zone = zoneName(timeZone);
  if (zone) conference.time_zone_name = zone;
  return {
    $schema: "https://c3voc.de/schedule/schema.json",
    generator: { name: "ptgbot" },
    schedule: { version: state.timestamp || "0", conference },
  };
}
