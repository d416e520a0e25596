/** A large event for benchmarks and size tests: 300 tracks, 60 rooms x 40 slots, 5,000 check-ins. */
import { completeState, mergeDocument } from "../lib/state/json.ts";
import { validateDocument } from "../lib/state/document.ts";
import { emptyState, type State } from "../lib/state/model.ts";

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/** Builds the large event as a document in the original's shape (fewer rooms and tracks on request). */
export function largeDocument(
  { rooms = 60, tracks: count = 300, people = 5000 } = {},
): Record<string, unknown> {
  const tracks = Array.from({ length: count }, (_, i) => `track-${String(i).padStart(3, "0")}`);
  const slots: Record<string, unknown[]> = {};
  for (const [d, day] of DAYS.entries()) {
    slots[day] = Array.from({ length: 8 }, (_, s) => ({
      name: `${day.slice(0, 3)}${s}`,
      desc: `${9 + s}:00-${10 + s}:00`,
      realtime: `2027-04-${String(12 + d).padStart(2, "0")}T${String(9 + s).padStart(2, "0")}:00:00Z`,
      duration: 60,
    }));
  }
  const schedule: Record<string, Record<string, string>> = {};
  let n = 0;
  for (let r = 0; r < rooms; r++) {
    const room: Record<string, string> = {};
    for (const day of DAYS) {
      for (let s = 0; s < 8; s++) {
        room[`${day.slice(0, 3)}${s}`] = r % 6 === 5 ? "" : tracks[n++ % tracks.length];
      }
    }
    room.url = `https://meet.example.org/room-${r}`;
    room.desc = `Room ${r}, floor ${r % 4}`;
    schedule[`Room ${r}`] = room;
  }
  const now: Record<string, string> = {};
  const next: Record<string, string[]> = {};
  for (const [i, t] of tracks.entries()) {
    now[t] = `Topic ${i}: ${"a fairly long description of the discussion ".repeat(3).trim()}`;
    next[t] = [`Next ${i} one`, `Next ${i} two with #track-001 mention`];
  }
  const last_check_in: Record<string, unknown> = {};
  for (let i = 0; i < people; i++) {
    last_check_in[`person${i}`] = {
      nick: `Person${i}`,
      location: i % 3 ? `#${tracks[i % count]}` : "the hallway",
      in: "2027-04-12 09:15:00",
      out: i % 5 ? null : "2027-04-12 11:00:00",
    };
  }
  return {
    eventid: "BIG-ptg",
    voice: 0,
    tracks,
    slots,
    schedule,
    now,
    next,
    etherpads: {},
    urls: {},
    colors: {},
    location: {},
    motd: [{ level: "info", message: "Welcome to a big event" }],
    links: { Site: "https://big.example.org/" },
    last_check_in,
    subscriptions: Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`person${i}`, `track-${i % count}`]),
    ),
    timestamp: "2027-04-12 09:00:00",
  };
}

/** The large event as a state. */
export function largeState(): State {
  const doc = validateDocument(largeDocument());
  if (!doc.ok) throw new Error(doc.error);
  return completeState(mergeDocument(emptyState(), doc.doc));
}
