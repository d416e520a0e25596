/**
 * What the scheduler owes followers between two moments: reminders a few
 * minutes before a track's slot starts and notices when it starts, from the
 * schedule and its bookings (the shared rules' `bookingsOn` and
 * `slotTimes`), and the texts to send. Pure: the clock and the state are
 * given, so every case is a unit test.
 *
 * A moment that fell due while the bot was away still counts while it
 * matters: a reminder until its slot starts, a start until its slot ends.
 * A slot that continues the track's previous one in the same room (back to
 * back) brings nothing: the track just goes on.
 *
 * @module
 */
import { bookingsOn, localTime, slotTimes } from "../shared/rules.js";
import type { State } from "./model.ts";

/** One moment owed: a reminder before a slot, or its start. */
export interface Due {
  kind: "reminder" | "start";
  track: string;
  room: string;
  /** The slot's name (`MonA2`) and its times, ms since the epoch. */
  slot: string;
  start: number;
  end: number;
  /** When it fell due (ms since the epoch). */
  at: number;
}

/** How the scheduler is set up. */
export interface ReminderSettings {
  /** Minutes before a slot's start for the reminder; 0 turns reminders off. */
  reminderMinutes: number;
  timeZone: string;
}

/**
 * Everything that fell due in `(from, to]` and still matters at `to`, in
 * time order (by track within one moment). One track booked in two rooms at
 * once counts once (its first room).
 */
export function dueBetween(state: State, from: number, to: number, settings: ReminderSettings): Due[] {
  const out: Due[] = [];
  const lead = settings.reminderMinutes * 60_000;
  for (const day of Object.keys(state.slots)) {
    for (const [track, bookings] of bookingsOn(state.slots, state.schedule, day)) {
      const seen = new Set<number>();
      const timed = bookings.map((b) => ({ room: b.room, slot: b.slot.name, t: slotTimes(b.slot) }));
      for (const b of timed) {
        if (!b.t || seen.has(b.t.start)) continue;
        seen.add(b.t.start);
        const { start, end } = b.t;
        const continues = timed.some((o) => o.t?.end === start && o.room === b.room);
        if (continues) continue;
        const base = { track, room: b.room, slot: b.slot, start, end };
        if (lead > 0 && from < start - lead && start - lead <= to && to < start) {
          out.push({ kind: "reminder", ...base, at: start - lead });
        }
        if (from < start && start <= to && to < end) out.push({ kind: "start", ...base, at: start });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at || a.track.localeCompare(b.track));
}

/** Until when a moment's notice is worth sending: a reminder until its slot starts, a start until it ends. */
export function mattersUntil(d: Due): number {
  return d.kind === "reminder" ? d.start : d.end;
}

/** The earliest moment after `after` at which something may fall due (for sleeping until it). */
export function nextMoment(state: State, after: number, settings: ReminderSettings): number | undefined {
  let best: number | undefined;
  const lead = settings.reminderMinutes * 60_000;
  for (const list of Object.values(state.slots)) {
    for (const slot of list ?? []) {
      const t = slotTimes(slot);
      if (!t) continue;
      for (const at of lead > 0 ? [t.start - lead, t.start] : [t.start]) {
        if (at > after && (best === undefined || at < best)) best = at;
      }
    }
  }
  return best;
}

/** Every track's followers (their keys), for tracks that still exist. */
export function followersByTrack(state: State): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const known = new Set(state.tracks);
  for (const [id, tracks] of Object.entries(state.follows)) {
    for (const t of tracks) {
      if (!known.has(t)) continue;
      const list = out.get(t);
      if (list) list.push(id);
      else out.set(t, [id]);
    }
  }
  return out;
}

const clock = (ms: number, timeZone: string) => localTime(ms, timeZone).stamp.slice(11, 16);

/** The video link of a slot: the track's own URL, else its room's. */
function videoOf(state: State, d: Due): string | undefined {
  return state.urls[d.track] || state.schedule[d.room]?.url || undefined;
}

/** What the track is doing, for a notice: `; now: …; next: …; video: URL`. */
function details(state: State, d: Due): string {
  const parts: string[] = [];
  const now = state.now[d.track];
  if (now) parts.push(`now: ${now}`);
  const next = state.next[d.track] ?? [];
  if (next.length) parts.push(`next: ${next[0]}${next.length > 1 ? ` (+${next.length - 1} more)` : ""}`);
  const video = videoOf(state, d);
  if (video) parts.push(`video: ${video}`);
  return parts.map((p) => `; ${p}`).join("");
}

/**
 * The notice a follower gets for one moment, said at `at` (ms): "#nova
 * starts now in Ballroom A until 10:45; now: …; next: …; video: URL", or
 * "started at 10:00" when it is sent more than a minute late.
 */
export function noticeText(state: State, d: Due, at: number, timeZone: string): string {
  const start = clock(d.start, timeZone);
  const end = clock(d.end, timeZone);
  if (d.kind === "reminder") {
    const minutes = Math.max(1, Math.round((d.start - at) / 60_000));
    return `#${d.track} starts at ${start} (in ${minutes} min) in ${d.room} until ${end}${details(state, d)}`;
  }
  const when = at - d.start > 60_000 ? `started at ${start}` : "starts now";
  return `#${d.track} ${when} in ${d.room} until ${end}${details(state, d)}`;
}

/** One private notice: to a follower's key. */
export interface Notice {
  to: string;
  text: string;
  /** The moment it is for, so the sender can tell how late it went out. */
  due: Due;
}

/** The notices for moments that fell due, one per follower and moment. */
export function noticesFor(state: State, due: readonly Due[], at: number, timeZone: string): Notice[] {
  if (!due.length) return [];
  const followers = followersByTrack(state);
  const out: Notice[] = [];
  for (const d of due) {
    const ids = followers.get(d.track);
    if (!ids) continue;
    const text = noticeText(state, d, at, timeZone);
    for (const to of ids) out.push({ to, text, due: d });
  }
  return out;
}

/**
 * The channel's announcement of slots starting, one line per starting
 * moment, split so that no line passes `maxChars`: "Starting now: #nova
 * (Ballroom A), #vega (Room B)".
 */
export function announcementLines(
  due: readonly Due[],
  at: number,
  timeZone: string,
  maxChars = 350,
): string[] {
  const byStart = new Map<number, Due[]>();
  for (const d of due) {
    if (d.kind !== "start") continue;
    const list = byStart.get(d.start);
    if (list) list.push(d);
    else byStart.set(d.start, [d]);
  }
  const lines: string[] = [];
  for (const [start, list] of byStart) {
    const head = at - start > 60_000 ? `Started at ${clock(start, timeZone)}: ` : "Starting now: ";
    let line = head;
    for (const d of list) {
      const item = `#${d.track} (${d.room})`;
      if (line !== head && line.length + 2 + item.length > maxChars) {
        lines.push(line);
        line = head;
      }
      line += line === head ? item : `, ${item}`;
    }
    lines.push(line);
  }
  return lines;
}
