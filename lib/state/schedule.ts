/** Reading the schedule: today's day, the current slot, rooms and booking codes. */
import { ROOM_INFO_KEYS, type Slot, type State } from "./model.ts";

const INFO = new Set<string>(ROOM_INFO_KEYS);

/** True for a room key that names a slot rather than a room detail. */
export function isSlotKey(key: string): boolean {
  return !INFO.has(key);
}

/** The day of the schedule to use on `weekday`: that day, else the first one. */
export function scheduleDay(state: State, weekday: string): string | undefined {
  const days = Object.keys(state.slots);
  return days.includes(weekday) ? weekday : days[0];
}

/** The start and end (ms since epoch) of a slot, when it has a `realtime`. */
export function slotTimes(slot: Slot): { start: number; end: number } | undefined {
  if (!slot.realtime) return undefined;
  const start = Date.parse(slot.realtime);
  if (Number.isNaN(start)) return undefined;
  return { start, end: start + (slot.duration ?? 60) * 60_000 };
}

/** The slot of `day` running at `now`, if the slots carry times. */
export function currentSlot(state: State, day: string, now: Date): Slot | undefined {
  const t = now.getTime();
  return (state.slots[day] ?? []).find((slot) => {
    const times = slotTimes(slot);
    return times !== undefined && times.start <= t && t < times.end;
  });
}

/**
 * The room where `track` is scheduled on `day`: the room of the current slot
 * when there is one, else the room of its first slot that day.
 */
export function roomOfTrack(
  state: State,
  track: string,
  day: string | undefined,
  now: Date,
): string | undefined {
  if (day === undefined) return undefined;
  const slots = state.slots[day] ?? [];
  const current = currentSlot(state, day, now);
  const ordered = current ? [current, ...slots.filter((s) => s !== current)] : slots;
  for (const slot of ordered) {
    for (const [room, entries] of Object.entries(state.schedule)) {
      if (entries[slot.name] === track) return room;
    }
  }
  return undefined;
}

/** Finds `ROOM-SLOT` (room case-insensitive; the slot after the last `-`). */
export function findSlot(state: State, code: string): { room: string; slot: string } | undefined {
  const dash = code.lastIndexOf("-");
  if (dash <= 0 || dash === code.length - 1) return undefined;
  const wanted = code.slice(0, dash).toLowerCase();
  const slotName = code.slice(dash + 1).toLowerCase();
  for (const [room, entries] of Object.entries(state.schedule)) {
    if (room.toLowerCase() !== wanted) continue;
    const slot = Object.keys(entries).find((k) => isSlotKey(k) && k.toLowerCase() === slotName);
    if (slot !== undefined) return { room, slot };
  }
  return undefined;
}

/** Every track named somewhere in the schedule. */
export function scheduledTracks(state: State): Set<string> {
  const found = new Set<string>();
  for (const entries of Object.values(state.schedule)) {
    for (const [key, value] of Object.entries(entries)) {
      if (isSlotKey(key) && value !== "") found.add(value);
    }
  }
  return found;
}
