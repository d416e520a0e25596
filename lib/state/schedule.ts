/** Reading the schedule: today's day, the current slot, rooms and booking codes. */
import { bookingsOn, pickBooking } from "../shared/rules.js";
import { ROOM_INFO_KEYS, type State } from "./model.ts";

const INFO = new Set<string>(ROOM_INFO_KEYS);

/** True for a room key that names a slot rather than a room detail. */
export function isSlotKey(key: string): boolean {
  return !INFO.has(key);
}

/**
 * The room where `track` is scheduled on `day`: the shared rule (the room
 * of its running slot, else of its next, else of its first that day).
 */
export function roomOfTrack(
  state: State,
  track: string,
  day: string | undefined,
  now: Date,
): string | undefined {
  return pickBooking(bookingsOn(state.slots, state.schedule, day).get(track) ?? [], now)?.room;
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
