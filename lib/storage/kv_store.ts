/**
 * The state in Deno KV: one key per entity, so that every value stays far
 * below KV's 64 KiB limit, and one atomic commit per command.
 *
 * Entities live under a generation number. A change of a few entities is
 * committed in place; a change too big for one atomic commit (a `~fetchdb`,
 * `~newday` on a large event) is written as a new generation and made current
 * by one atomic switch of the `current` pointer, so readers never see half of
 * it. The pointer also carries a version that every commit increments: other
 * processes poll it to notice changes.
 *
 * The event's record (`history.ts`) lives beside the generations, one key
 * per entry (`["ptg", "history", EPOCH, VERSION, N]`: the commit's version
 * orders it), written in the same atomic commit as the `now` that made it,
 * so a new generation (`~newday`) keeps it. `~emptydb` switches to a new
 * epoch together with its generation; the old epoch is then deleted.
 */
import {
  type Change,
  cloneState,
  dict,
  Draft,
  emptyState,
  MAP_NAMES,
  type MapName,
  type Motd,
  type Room,
  type Slot,
  type State,
} from "../state/model.ts";
import { stateToJson } from "../state/json.ts";
import { HISTORY_LIMIT, type HistoryEntry } from "../state/history.ts";
import { privateDatabase } from "./private_files.ts";
import { errorText } from "../util/errors.ts";

const ROOT = "ptg";
/** The start-up snapshot: which chunks hold the state as of which pointer versionstamp. */
const SNAPSHOT: Deno.KvKey = [ROOT, "snapshot"];
const SNAPSHOT_CHUNK = 32_000;
const POINTER: Deno.KvKey = [ROOT, "current"];
/** KV refuses atomic operations of more than 1000 mutations or 800 KiB; stay well inside. */
const BATCH_MUTATIONS = 400;
const BATCH_BYTES = 400 * 1024;

interface Pointer {
  gen: number;
  version: number;
  /** The epoch of the event's record; absent (0) until the first `~emptydb`. */
  log?: number;
  /** How many entries the record holds. */
  count?: number;
}

const HISTORY = "history";

/** Options of a store; tests shrink the record's limit. */
export interface StoreOptions {
  historyLimit?: number;
}

interface SnapshotMeta {
  /** The pointer's versionstamp the snapshot was taken at; any later commit makes it stale. */
  versionstamp: string;
  id: string;
  chunks: number;
}

/** A state from our own snapshot text (written by `stateToJson(…, true)`, so trusted). */
function fromSnapshot(doc: Record<string, never>): State {
  const s = emptyState(doc.timestamp);
  s.eventid = doc.eventid;
  s.voice = doc.voice;
  s.tracks = doc.tracks;
  s.slots = dict(doc.slots);
  s.schedule = dict();
  for (const [name, room] of Object.entries(doc.schedule as Record<string, Room>)) {
    s.schedule[name] = dict(room);
  }
  for (const map of MAP_NAMES) (s as unknown as Record<string, unknown>)[map] = dict(doc[map] ?? {});
  s.motd = doc.motd;
  s.links = dict(doc.links);
  return s;
}

interface Meta {
  eventid: string;
  voice: 0 | 1;
  timestamp: string;
}

type Mutation = { key: Deno.KvKey; value?: unknown };

/** Runs a KV operation, retrying while SQLite reports the database busy or locked. */
export async function retryLocked<T>(op: () => Promise<T>, attempts = 60): Promise<T> {
  for (let i = 0;; i++) {
    try {
      return await op();
    } catch (e) {
      const msg = errorText(e);
      if (i >= attempts || !/database is locked|busy/i.test(msg)) throw e;
      await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** i, 200) * (0.5 + Math.random())));
    }
  }
}

function entities(gen: number, s: State): Mutation[] {
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

function size(m: Mutation): number {
  return JSON.stringify(m.key).length + (m.value === undefined ? 0 : JSON.stringify(m.value).length);
}

/** The KV-backed store: an in-memory snapshot answers reads; commits go to KV first. */
export class KvStore {
  #kv: Deno.Kv;
  #pointer: Pointer;
  #pointerStamp: string | null;
  #roomOrder = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #historyLimit: number;
  /** The record as read from KV, once something asked for it. */
  #record?: { keys: Deno.KvKey[]; entries: HistoryEntry[] };
  /** The current state; replaced or changed only by this store. */
  state: State;

  private constructor(kv: Deno.Kv, options: StoreOptions) {
    this.#kv = kv;
    this.#historyLimit = options.historyLimit ?? HISTORY_LIMIT;
    this.#pointer = { gen: 0, version: 0 };
    this.#pointerStamp = null;
    this.state = emptyState();
  }

  /** Opens (or creates) a store; `path` undefined means in memory. */
  static async open(path?: string, options: StoreOptions = {}): Promise<KvStore> {
    if (path !== undefined) await privateDatabase(path);
    const kv = await Deno.openKv(path ?? ":memory:");
    const store = new KvStore(kv, options);
    await store.reload();
    await store.#dropStaleGenerations();
    return store;
  }

  /** True when nothing was ever committed to this store. */
  get isNew(): boolean {
    return this.#pointerStamp === null;
  }

  /** Increments with every commit, in every process sharing the file. */
  get version(): number {
    return this.#pointer.version;
  }

  /**
   * The event's record, oldest first (every accepted `now` since the last
   * `~emptydb`). Read from KV on first use, then kept up to date by this
   * store's commits: a start does not pay for it.
   */
  history(): Promise<readonly HistoryEntry[]> {
    return this.#serial(async () => (await this.#loadHistory()).entries);
  }

  async #loadHistory(): Promise<{ keys: Deno.KvKey[]; entries: HistoryEntry[] }> {
    if (this.#record) return this.#record;
    const keys: Deno.KvKey[] = [];
    const entries: HistoryEntry[] = [];
    const prefix = [ROOT, HISTORY, this.#pointer.log ?? 0];
    await retryLocked(async () => {
      keys.length = entries.length = 0;
      for await (const e of this.#kv.list<HistoryEntry>({ prefix }, { batchSize: 1000 })) {
        keys.push(e.key);
        entries.push(e.value);
      }
    });
    this.#record = { keys, entries };
    return this.#record;
  }

  /**
   * The record's mutations for a batch: its entries under the commit's
   * version, and deletions of the oldest past the limit. `epoch` is where
   * they go; `forget` says a `~emptydb` came, whose earlier entries are
   * dropped. `count` is the record's size after the commit, for the pointer.
   */
  async #historyMutations(changes: readonly Change[], version: number, epoch: number, forget: boolean) {
    let entries: HistoryEntry[] = [];
    for (const c of changes) {
      if (c.op === "forget") entries = [];
      if (c.op === "record") entries.push(c.entry);
    }
    const had = forget ? 0 : this.#pointer.count ?? 0;
    const fresh = entries.slice(Math.max(0, entries.length - this.#historyLimit));
    // At most a hundred more than it adds, so a commit stays small even if the limit was lowered.
    const drop = Math.min(had, Math.max(0, had + fresh.length - this.#historyLimit), fresh.length + 100);
    let oldest: Deno.KvKey[] = [];
    if (drop && this.#record) oldest = this.#record.keys.slice(0, drop);
    else if (drop) {
      await retryLocked(async () => {
        oldest = [];
        for await (const e of this.#kv.list({ prefix: [ROOT, HISTORY, epoch] }, { limit: drop })) {
          oldest.push(e.key);
        }
      });
    }
    const added = fresh.map((entry, i): Mutation => ({
      key: [ROOT, HISTORY, epoch, version, i],
      value: entry,
    }));
    return {
      mutations: [...oldest.map((key): Mutation => ({ key })), ...added],
      count: had - drop + fresh.length,
      /** Makes the committed record this store's. */
      apply: () => {
        const record = this.#record;
        if (!record) return;
        if (forget) record.keys.length = record.entries.length = 0;
        record.keys.splice(0, drop);
        record.entries.splice(0, drop);
        record.keys.push(...added.map((m) => m.key));
        record.entries.push(...fresh);
      },
    };
  }

  /** Rebuilds the snapshot from KV. */
  async reload(): Promise<void> {
    await retryLocked(async () => {
      const [ptr, snap] = await this.#kv.getMany<[Pointer, SnapshotMeta]>([POINTER, SNAPSHOT]);
      const pointer = ptr.value ?? { gen: 0, version: 0 };
      const fresh = snap.value && ptr.versionstamp && snap.value.versionstamp === ptr.versionstamp;
      this.state = (fresh ? await this.#readSnapshot(snap.value!) : undefined) ??
        await this.#read(pointer.gen);
      if (fresh) this.#roomOrder = new Map(Object.keys(this.state.schedule).map((r, i) => [r, i]));
      this.#record = undefined;
      this.#pointer = pointer;
      this.#pointerStamp = ptr.versionstamp;
    });
  }

  /** The state from a snapshot, or undefined when any chunk is missing (then entities are read). */
  async #readSnapshot(meta: SnapshotMeta): Promise<State | undefined> {
    const parts: Uint8Array[] = [];
    for await (const e of this.#kv.list<Uint8Array>({ prefix: [ROOT, "chunk", meta.id] })) {
      parts.push(e.value);
    }
    if (parts.length !== meta.chunks) return undefined;
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    try {
      return fromSnapshot(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      return undefined;
    }
  }

  /**
   * Saves the whole state as a few large chunks tagged with the current
   * pointer, so the next start reads them instead of every entity. Only a
   * cache: a commit after it makes it stale, and then entities are read.
   */
  async #writeSnapshot(): Promise<void> {
    if (!this.#pointerStamp) return;
    const bytes = new TextEncoder().encode(stateToJson(this.state, true));
    const id = crypto.randomUUID();
    const chunks = Math.ceil(bytes.length / SNAPSHOT_CHUNK);
    for (let first = 0; first < chunks; first += 10) {
      const op = this.#kv.atomic();
      for (let i = first; i < Math.min(chunks, first + 10); i++) {
        op.set([ROOT, "chunk", id, i], bytes.subarray(i * SNAPSHOT_CHUNK, (i + 1) * SNAPSHOT_CHUNK));
      }
      await retryLocked(() => op.commit());
    }
    const old = await retryLocked(() => this.#kv.get<SnapshotMeta>(SNAPSHOT));
    const meta: SnapshotMeta = { versionstamp: this.#pointerStamp, id, chunks };
    await retryLocked(() => this.#kv.atomic().check(old).set(SNAPSHOT, meta).commit());
    if (old.value) await this.#deletePrefix([ROOT, "chunk", old.value.id]);
  }

  /**
   * Reloads the snapshot when another process committed since this one last
   * looked (kv.watch does not see other processes' writes, so callers poll).
   * Resolves true when the state changed.
   */
  refresh(): Promise<boolean> {
    return this.#serial(async () => {
      const ptr = await retryLocked(() => this.#kv.get<Pointer>(POINTER));
      if (ptr.versionstamp === this.#pointerStamp) return false;
      await this.reload();
      return true;
    });
  }

  async #read(gen: number): Promise<State> {
    const s = emptyState();
    const rooms: [number, string, Room][] = [];
    const days: [number, string, Slot[]][] = [];
    const links: [number, string, string][] = [];
    for await (const e of this.#kv.list({ prefix: [ROOT, gen] }, { batchSize: 1000 })) {
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
    this.#roomOrder.clear();
    for (const [order, name, room] of rooms.sort((a, b) => a[0] - b[0])) {
      s.schedule[name] = room;
      this.#roomOrder.set(name, order);
    }
    for (const [, day, slots] of days.sort((a, b) => a[0] - b[0])) s.slots[day] = slots;
    for (const [, title, url] of links.sort((a, b) => a[0] - b[0])) s.links[title] = url;
    return s;
  }

  /**
   * Commits a command's changes in one atomic step, then makes them the
   * snapshot. Resolves false (and reloads) when another process committed
   * first, so the caller can run the command again on fresh state.
   */
  commit(changes: readonly Change[], timestamp: string): Promise<boolean> {
    return this.#serial(() => {
      const draft = new Draft(this.state);
      draft.apply(changes, timestamp);
      return this.#commitOrReload(changes, timestamp, draft.state);
    });
  }

  /**
   * Commits `changes`, whose result the caller computed as `next` (several
   * commands at once, each seeing the ones before; see `Draft`). The
   * snapshot becomes `next` only once KV holds it, together with the new
   * version, so nothing served ever shows what was not saved. Resolves
   * false (and reloads) when another process committed first.
   */
  commitState(changes: readonly Change[], timestamp: string, next: State): Promise<boolean> {
    return this.#serial(() => this.#commitOrReload(changes, timestamp, next));
  }

  async #commitOrReload(changes: readonly Change[], timestamp: string, next: State): Promise<boolean> {
    if (changes.length === 0) return true;
    if (await this.#commit(changes, timestamp, next)) return true;
    await this.reload();
    return false;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #commit(changes: readonly Change[], timestamp: string, next: State): Promise<boolean> {
    const mutations = this.#mutations(changes, timestamp, next);
    if (mutations === undefined || mutations.length > BATCH_MUTATIONS) {
      return await this.#replace(next, changes);
    }
    const pointer: Pointer = { ...this.#pointer, version: this.#pointer.version + 1 };
    const history = await this.#historyMutations(changes, pointer.version, pointer.log ?? 0, false);
    if (history.count) pointer.count = history.count;
    const op = this.#kv.atomic().check({ key: POINTER, versionstamp: this.#pointerStamp });
    for (const m of [...mutations, ...history.mutations]) {
      m.value === undefined ? op.delete(m.key) : op.set(m.key, m.value);
    }
    op.set(POINTER, pointer);
    const res = await retryLocked(() => op.commit());
    if (!res.ok) return false;
    this.#pointer = pointer;
    this.#pointerStamp = res.versionstamp;
    this.state = next;
    history.apply();
    return true;
  }

  /** KV mutations for small changes; undefined when only a new generation will do. */
  #mutations(changes: readonly Change[], timestamp: string, next: State): Mutation[] | undefined {
    const gen = this.#pointer.gen;
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
          const order = this.#roomOrder.get(c.room);
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

  /** Makes `state` the whole new state (the event's record stays): written as a new generation, then switched to. */
  replace(state: State): Promise<boolean> {
    return this.#serial(async () => {
      if (await this.#replace(state)) return true;
      await this.reload();
      return false;
    });
  }

  async #replace(state: State, changes: readonly Change[] = []): Promise<boolean> {
    const old = this.#pointer.gen;
    const oldEpoch = this.#pointer.log ?? 0;
    const forget = changes.some((c) => c.op === "forget");
    const gen = old + 1;
    await this.#deleteGeneration(gen); // leftovers of a write that never became current
    let batch: Mutation[] = [];
    let bytes = 0;
    const flush = async () => {
      const op = this.#kv.atomic();
      for (const m of batch) op.set(m.key, m.value);
      await retryLocked(() => op.commit());
      batch = [];
      bytes = 0;
    };
    for (const m of entities(gen, state)) {
      const n = size(m);
      if (batch.length >= BATCH_MUTATIONS || bytes + n > BATCH_BYTES) await flush();
      batch.push(m);
      bytes += n;
    }
    if (batch.length) await flush();
    const next: Pointer = { gen, version: this.#pointer.version + 1 };
    const epoch = forget ? oldEpoch + 1 : oldEpoch;
    if (epoch) next.log = epoch;
    // The record's new entries switch with the generation (a batch holds a few).
    const history = await this.#historyMutations(changes, next.version, epoch, forget);
    if (history.count) next.count = history.count;
    const switchOp = this.#kv.atomic().check({ key: POINTER, versionstamp: this.#pointerStamp });
    for (const m of history.mutations) {
      m.value === undefined ? switchOp.delete(m.key) : switchOp.set(m.key, m.value);
    }
    const res = await retryLocked(() => switchOp.set(POINTER, next).commit());
    if (!res.ok) {
      await this.#deleteGeneration(gen);
      return false;
    }
    this.#pointer = next;
    this.#pointerStamp = res.versionstamp;
    this.state = cloneState(state);
    this.#roomOrder = new Map(Object.keys(state.schedule).map((r, i) => [r, i]));
    history.apply();
    await this.#deleteGeneration(old);
    if (forget) await this.#deletePrefix([ROOT, HISTORY, oldEpoch]);
    return true;
  }

  #deleteGeneration(gen: number): Promise<void> {
    return this.#deletePrefix([ROOT, gen]);
  }

  async #deletePrefix(prefix: Deno.KvKey): Promise<void> {
    let keys: Deno.KvKey[] = [];
    for await (const e of this.#kv.list({ prefix }, { batchSize: 1000 })) {
      keys.push(e.key);
      if (keys.length >= BATCH_MUTATIONS) {
        const op = this.#kv.atomic();
        for (const k of keys) op.delete(k);
        await retryLocked(() => op.commit());
        keys = [];
      }
    }
    if (keys.length) {
      const op = this.#kv.atomic();
      for (const k of keys) op.delete(k);
      await retryLocked(() => op.commit());
    }
  }

  /** Removes generations older than the current one, left by a crash mid-switch. */
  async #dropStaleGenerations(): Promise<void> {
    // Numbers sort after strings in KV keys, so this range holds only older generations.
    const stale = new Set<number>();
    const older = this.#kv.list({ start: [ROOT, 0], end: [ROOT, this.#pointer.gen] }, { batchSize: 1000 });
    for await (const e of older) stale.add(e.key[1] as number);
    for (const gen of stale) await this.#deleteGeneration(gen);
    // Records emptied by a ~emptydb whose clean-up a crash cut short.
    const epoch = this.#pointer.log ?? 0;
    if (epoch > 0) {
      const keys: Deno.KvKey[] = [];
      for await (const e of this.#kv.list({ start: [ROOT, HISTORY, 0], end: [ROOT, HISTORY, epoch] })) {
        keys.push(e.key);
      }
      for (const old of new Set(keys.map((k) => k[2] as number))) {
        await this.#deletePrefix([ROOT, HISTORY, old]);
      }
    }
  }

  /** The underlying KV handle, for other records of the program (leases, say). */
  get kv(): Deno.Kv {
    return this.#kv;
  }

  /** Waits for pending commits, leaves a start-up snapshot, then closes KV. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#writeSnapshot().catch((e) => console.error(`kv: no snapshot written: ${errorText(e)}`));
    this.#kv.close();
  }
}
