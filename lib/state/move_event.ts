/**
 * Moving an event to other dates, so the demo's sample event is always on
 * (its first day is the day the demo starts) instead of a fixed week that
 * will be past one day.
 */
import { dayDates, localTime } from "../shared/rules.js";
import { dict, type Room, type Slot, type State } from "./model.ts";
import { isSlotKey } from "./schedule.ts";

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A copy of `state` whose first timed day falls on `date` (`YYYY-MM-DD` in
 * `timeZone`): every `realtime` moves by the same whole number of days, days
 * take the names of their new weekdays, and slot codes that start with a
 * day's abbreviation (`MonA1`) follow it (`WedA1`), in the schedule too.
 * An event without times is returned as it is.
 */
export function moveEvent(state: State, date: string, timeZone: string): State {
  const dates = dayDates(state.slots, timeZone);
  const first = dates.values().next().value;
  if (first === undefined) return state;
  const shift = daysBetween(first, date) * DAY_MS;
  if (shift === 0) return state;
  const move = (slot: Slot): Slot =>
    slot.realtime ? { ...slot, realtime: new Date(Date.parse(slot.realtime) + shift).toISOString() } : slot;
  const movedDays = Object.entries(state.slots).map(([day, list]) => [day, list.map(move)] as const);
  const slots: Record<string, Slot[]> = dict();
  const codes = new Map<string, string>();
  for (const [day, moved] of movedDays) {
    const timed = moved.find((s) => s.realtime);
    const name = timed ? localTime(Date.parse(timed.realtime!), timeZone).weekday : day;
    const [from, to] = [day.slice(0, 3), name.slice(0, 3)];
    slots[name] = moved.map((slot) => {
      if (!slot.name.startsWith(from)) return slot;
      const code = `${to}${slot.name.slice(from.length)}`;
      codes.set(slot.name, code);
      return { ...slot, name: code };
    });
  }
  // A long event can bring a weekday twice; then its names stay as they were.
  const renamed = Object.keys(slots).length === Object.keys(state.slots).length &&
    new Set(codes.values()).size === codes.size;
  if (!renamed) return { ...state, slots: dict(Object.fromEntries(movedDays)) };
  const schedule: Record<string, Room> = dict();
  for (const [room, entries] of Object.entries(state.schedule)) {
    const copy: Room = dict();
    for (const [key, value] of Object.entries(entries)) {
      copy[isSlotKey(key) ? codes.get(key) ?? key : key] = value;
    }
    schedule[room] = copy;
  }
  return { ...state, slots, schedule };
}
