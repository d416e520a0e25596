/** Reading the schedule: today's day, the current slot, rooms and booking codes. */
import { isCurrent } from "../shared/rules.js";
import { ROOM_INFO_KEYS, type Slot, type State } from "./model.ts";

const INFO = new Set<string>(ROOM_INFO_KEYS);

/** True for a room key that names a slot rather than a room detail. */
export function isSlotKey(key: string): boolean {
  return !INFO.has(key);
}

/** The slot of `day` running at `now`, if the slots carry times. */
function currentSlot(state: State, day: string, now: Date): Slot | undefined {
  return (state.slots[day] ?? []).find((slot) => isCurrent(slot, now));
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
