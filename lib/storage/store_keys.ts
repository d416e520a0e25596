/**
 * The store's key layout in Deno KV, and the translation of a state and of
 * its changes to and from those keys. Kept apart from the commit protocol
 * (`store.ts`) so that the shape of the file is written down in one place.
 *
 * Everything lives under `"ptg"`:
 * - `["ptg", "current"]`: the pointer (`Pointer`), naming the current
 *   generation and carrying the version every commit increments;
 * - `["ptg", GEN, KIND, ID]`: one key per entity of the state, under its
 *   generation number, so that every value stays far below KV's 64 KiB limit
 *   (`meta`, `motd`, `tracks/TRACK`, `day/N`, `room/NAME`, `link/N`, and one
 *   key per entry of each map: `now/TRACK`, `last_check_in/NICK`, …);
 * - `["ptg", "history", EPOCH, VERSION, N]`: the event's history, one key per
 *   entry, ordered by the version of the commit that wrote it (`history.ts`);
 * - `["ptg", "snapshot"]` and `["ptg", "chunk", ID, N]`: the start-up snapshot
 *   (`store_snapshot.ts`);
 * - `["ptg", "reminders"]`: how far the reminder scheduler has gone
 *   (`reminder_mark.ts`), a few bytes;
 * - `["ptg", "reminders_pending", WRITTEN, ID, N]`: notices of claimed
 *   moments a leaving process did not send, in batches of a few KiB, until
 *   the next leader takes them (`reminder_pending.ts`).
 *
 * Follows (`+follow`) are a map of the state like subscriptions: one key per
 * follower, `["ptg", GEN, "follows", ID]`, holding at most 30 track names.
 *
 * Generation numbers sort after the strings beside them (KV orders numbers
 * after strings), so a range from generation 0 to the current one holds only
 * older generations.
 *
 * @module
 */
import {
  type Change,
  dict,
  emptyState,
  MAP_NAMES,
  type MapName,
  type Motd,
  type Room,
  type Slot,
  type State,
} from "../state/model.ts";
import type { Mutation } from "./kv.ts";

const ROOT = "ptg";
const HISTORY = "history";

/** The pointer's key. */
export const POINTER: Deno.KvKey = [ROOT, "current"];
/** The start-up snapshot's key: which chunks hold the state as of which pointer versionstamp. */
export const SNAPSHOT: Deno.KvKey = [ROOT, "snapshot"];

/** The reminder scheduler's mark: every moment up to it was dealt with. */
export const REMINDER_MARK: Deno.KvKey = [ROOT, "reminders"];

/** Under it: claimed notices a leaving process left for the next leader. */
export const REMINDERS_PENDING: Deno.KvKey = [ROOT, "reminders_pending"];

/**
 * What the pointer holds. The field names are those of existing KV files:
 * `log` and `count` describe the event's history.
 */
export interface Pointer {
  gen: number;
  version: number;
  /** The epoch of the event's history; absent (0) until the first `~emptydb`. */
  log?: number;
  /** How many entries the history holds. */
  count?: number;
}

/** The pointer of a store nothing was ever committed to. */
export const NO_POINTER: Readonly<Pointer> = { gen: 0, version: 0 };

/** The prefix of one generation's entities. */
export function generationPrefix(gen: number): Deno.KvKey {
  return [ROOT, gen];
}

/** The generations older than `gen` (see the module's note on ordering). */
export function olderGenerations(gen: number): Deno.KvListSelector {
  return { start: [ROOT, 0], end: [ROOT, gen] };
}

/** The generation an entity's key belongs to. */
export function generationOf(key: Deno.KvKey): number {
  return key[1] as number;
}

/** The prefix of one snapshot's chunks. */
export function chunkPrefix(id: string): Deno.KvKey {
  return [ROOT, "chunk", id];
}

/** The key of a snapshot's chunk `n`. */
export function chunkKey(id: string, n: number): Deno.KvKey {
  return [ROOT, "chunk", id, n];
}

/** The prefix of one epoch of the history. */
export function historyPrefix(epoch: number): Deno.KvKey {
  return [ROOT, HISTORY, epoch];
}

/** The key of the `n`th history entry written by the commit of `version`. */
export function historyKey(epoch: number, version: number, n: number): Deno.KvKey {
  return [ROOT, HISTORY, epoch, version, n];
}

/** The epochs of the history older than `epoch`. */
export function olderEpochs(epoch: number): Deno.KvListSelector {
  return { start: [ROOT, HISTORY, 0], end: [ROOT, HISTORY, epoch] };
}

/** The epoch a history entry's key belongs to. */
export function epochOf(key: Deno.KvKey): number {
  return key[2] as number;
}

interface Meta {
  eventid: string;
  voice: 0 | 1;
  timestamp: string;
}

/** Every entity of `s` as a set under generation `gen`. */
export function entities(gen: number, s: State): Mutation[] {
  const out: Mutation[] = [
    { key: [ROOT, gen, "meta"], value: { eventid: s.eventid, voice: s.voice, timestamp: s.timestamp } },
    { key: [ROOT, gen, "motd"], value: s.motd },
  ];
  for (const t of s.tracks) out.push({ key: [ROOT, gen, "tracks", t], value: 1 });
  Object.entries(s.slots).forEach(([day, slots], i) =>
    out.push({ key: [ROOT, gen, "day", i], value: { day, slots } })
  );
  Object.entries(s.schedule).forEach(([room, value], order) =>
    out.push({ key: [ROOT, gen, "room", room], value: { order, value: { ...value } } })
  );
  Object.entries(s.links).forEach(([title, url], i) =>
    out.push({ key: [ROOT, gen, "link", i], value: [title, url] })
  );
  for (const map of MAP_NAMES) {
    for (const [key, value] of Object.entries(s[map])) {
      out.push({ key: [ROOT, gen, map, key], value });
    }
  }
  return out;
}

/** The order of each room of a state written by `entities`. */
export function roomOrderOf(s: State): Map<string, number> {
  return new Map(Object.keys(s.schedule).map((r, i) => [r, i]));
}

/**
 * The mutations of generation `gen` for small changes whose result is
 * `next`; undefined when only a new generation will do (a whole new state,
 * a `~emptydb`, a room `roomOrder` does not know).
 */
export function changeMutations(
  gen: number,
  changes: readonly Change[],
  roomOrder: ReadonlyMap<string, number>,
  next: State,
  timestamp: string,
): Mutation[] | undefined {
  const out: Mutation[] = [];
  for (const c of changes) {
    switch (c.op) {
      case "replace":
      case "forget":
        return undefined;
      case "record":
        break;
      case "set":
        out.push({ key: [ROOT, gen, c.map, c.key], value: c.value });
        break;
      case "del":
        out.push({ key: [ROOT, gen, c.map, c.key] });
        break;
      case "track":
        out.push({ key: [ROOT, gen, "tracks", c.track], value: c.present ? 1 : undefined });
        break;
      case "room": {
        const order = roomOrder.get(c.room);
        if (order === undefined) return undefined;
        out.push({ key: [ROOT, gen, "room", c.room], value: { order, value: { ...c.value } } });
        break;
      }
      case "motd":
        out.push({ key: [ROOT, gen, "motd"], value: c.value });
        break;
    }
  }
  out.push({ key: [ROOT, gen, "meta"], value: { eventid: next.eventid, voice: next.voice, timestamp } });
  return out;
}

/** Reads generation `gen` back into a state, with the order of its rooms. */
export async function readGeneration(
  kv: Deno.Kv,
  gen: number,
): Promise<{ state: State; roomOrder: Map<string, number> }> {
  const s = emptyState();
  const rooms: [number, string, Room][] = [];
  const days: [number, string, Slot[]][] = [];
  const links: [number, string, string][] = [];
  for await (const e of kv.list({ prefix: generationPrefix(gen) }, { batchSize: 1000 })) {
    const [, , kind, id] = e.key as [string, number, string, string | number];
    const v = e.value as never;
    switch (kind) {
      case "meta": {
        const m = v as Meta;
        Object.assign(s, { eventid: m.eventid, voice: m.voice, timestamp: m.timestamp });
        break;
      }
      case "motd":
        s.motd = v as Motd[];
        break;
      case "tracks":
        s.tracks.push(id as string);
        break;
      case "day": {
        const d = v as { day: string; slots: Slot[] };
        days.push([id as number, d.day, d.slots]);
        break;
      }
      case "room": {
        const r = v as { order: number; value: Room };
        rooms.push([r.order, id as string, dict(r.value)]);
        break;
      }
      case "link":
        links.push([id as number, ...(v as [string, string])]);
        break;
      default:
        (s[kind as MapName] as Record<string, unknown>)[id as string] = v;
    }
  }
  s.tracks.sort();
  const roomOrder = new Map<string, number>();
  for (const [order, name, room] of rooms.sort((a, b) => a[0] - b[0])) {
    s.schedule[name] = room;
    roomOrder.set(name, order);
  }
  for (const [, day, slots] of days.sort((a, b) => a[0] - b[0])) s.slots[day] = slots;
  for (const [, title, url] of links.sort((a, b) => a[0] - b[0])) s.links[title] = url;
  return { state: s, roomOrder };
}
