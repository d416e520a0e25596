/**
 * The store: the state in Deno KV, with one atomic commit per batch of
 * commands, and an in-memory copy that answers reads and changes only once
 * KV holds the change.
 *
 * Entities live under a generation number (`store_keys.ts`). A change of a
 * few entities is committed in place; a change too big for one atomic commit
 * (a `~fetchdb`, `~newday` on a large event) is written as a new generation
 * and made current by one atomic switch of the pointer, so readers never see
 * half of it. Every commit is checked against the pointer and increments its
 * version, so a commit made by another process sharing the file in between
 * is noticed: the commit is refused and the store reloads. Other processes'
 * commits are followed by polling the pointer (`follow`). The event's
 * history (`history.ts`) is written in the same commits, and a clean close
 * leaves a start-up snapshot (`store_snapshot.ts`).
 *
 * @module
 */
import { type Change, cloneState, Draft, emptyState, type State } from "../state/model.ts";
import { HISTORY_LIMIT, type HistoryEntry } from "../state/history.ts";
import { privateDatabase } from "../util/private_files.ts";
import { errorText } from "../util/errors.ts";
import {
  addMutations,
  BATCH_BYTES,
  BATCH_MUTATIONS,
  deletePrefix,
  type Mutation,
  mutationSize,
  retryLocked,
} from "./kv.ts";
import {
  changeMutations,
  entities,
  generationOf,
  generationPrefix,
  NO_POINTER,
  olderGenerations,
  POINTER,
  type Pointer,
  readGeneration,
  roomOrderOf,
  SNAPSHOT,
} from "./store_keys.ts";
import { readSnapshot, type SnapshotMeta, writeSnapshot } from "./store_snapshot.ts";
import { KvHistory } from "./history.ts";

/** How often a store following the file looks at the pointer. */
const FOLLOW_MS = 250;

/** Options of a store; tests shrink the history's limit. */
export interface StoreOptions {
  historyLimit?: number;
}

/** The loop started by `KvStore.follow`. */
export interface Following {
  /** Ends the loop; resolves once it has. */
  stop(): Promise<void>;
}

/** The KV-backed store: an in-memory snapshot answers reads; commits go to KV first. */
export class KvStore {
  #kv: Deno.Kv;
  #pointer: Pointer;
  #pointerStamp: string | null;
  #roomOrder = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #history: KvHistory;
  /** The current state; replaced or changed only by this store. */
  state: State;

  private constructor(kv: Deno.Kv, options: StoreOptions) {
    this.#kv = kv;
    this.#history = new KvHistory(kv, options.historyLimit ?? HISTORY_LIMIT);
    this.#pointer = { ...NO_POINTER };
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
   * The event's history, oldest first (every accepted `now` since the last
   * `~emptydb`). Read from KV on first use, then kept up to date by this
   * store's commits: a start does not pay for it.
   */
  history(): Promise<readonly HistoryEntry[]> {
    return this.#serial(() => this.#history.entries(this.#pointer.log ?? 0));
  }

  /** Rebuilds the snapshot from KV. */
  async reload(): Promise<void> {
    await retryLocked(async () => {
      const [ptr, snap] = await this.#kv.getMany<[Pointer, SnapshotMeta]>([POINTER, SNAPSHOT]);
      const pointer = ptr.value ?? { ...NO_POINTER };
      const fresh = snap.value && ptr.versionstamp && snap.value.versionstamp === ptr.versionstamp;
      const snapshot = fresh ? await readSnapshot(this.#kv, snap.value!) : undefined;
      const generation = snapshot ? undefined : await readGeneration(this.#kv, pointer.gen);
      this.state = snapshot ?? generation!.state;
      if (generation) this.#roomOrder = generation.roomOrder;
      if (fresh) this.#roomOrder = roomOrderOf(this.state);
      this.#history.invalidate();
      this.#pointer = pointer;
      this.#pointerStamp = ptr.versionstamp;
    });
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

  /**
   * Follows commits made by another process sharing the file (during a
   * hand-over): `refresh`es every `FOLLOW_MS` and calls `changed` when the
   * state moved; a failure to look is logged and the loop goes on.
   */
  follow(changed: () => void, log: (line: string) => void): Following {
    let following = true;
    const loop = (async () => {
      while (following) {
        try {
          if (await this.refresh()) changed();
        } catch (e) {
          log(`kv: cannot read the version: ${errorText(e)}`);
        }
        await new Promise((r) => setTimeout(r, FOLLOW_MS));
      }
    })();
    return {
      stop: async () => {
        following = false;
        await loop;
      },
    };
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
    const mutations = changeMutations(this.#pointer.gen, changes, this.#roomOrder, next, timestamp);
    if (mutations === undefined || mutations.length > BATCH_MUTATIONS) {
      return await this.#replace(next, changes);
    }
    const pointer: Pointer = { ...this.#pointer, version: this.#pointer.version + 1 };
    const history = await this.#history.write(
      changes,
      pointer.version,
      pointer.log ?? 0,
      this.#pointer.count ?? 0,
      false,
    );
    if (history.count) pointer.count = history.count;
    const op = this.#kv.atomic().check({ key: POINTER, versionstamp: this.#pointerStamp });
    addMutations(op, [...mutations, ...history.mutations]);
    op.set(POINTER, pointer);
    const res = await retryLocked(() => op.commit());
    if (!res.ok) return false;
    this.#pointer = pointer;
    this.#pointerStamp = res.versionstamp;
    this.state = next;
    history.apply();
    return true;
  }

  /**
   * Makes `state` the whole new state (the event's history stays): written as
   * a new generation, then switched to.
   */
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
      const n = mutationSize(m);
      if (batch.length >= BATCH_MUTATIONS || bytes + n > BATCH_BYTES) await flush();
      batch.push(m);
      bytes += n;
    }
    if (batch.length) await flush();
    const next: Pointer = { gen, version: this.#pointer.version + 1 };
    const epoch = forget ? oldEpoch + 1 : oldEpoch;
    if (epoch) next.log = epoch;
    // The history's new entries switch with the generation (a batch holds a few).
    const history = await this.#history.write(changes, next.version, epoch, this.#pointer.count ?? 0, forget);
    if (history.count) next.count = history.count;
    const switchOp = this.#kv.atomic().check({ key: POINTER, versionstamp: this.#pointerStamp });
    addMutations(switchOp, history.mutations);
    const res = await retryLocked(() => switchOp.set(POINTER, next).commit());
    if (!res.ok) {
      await this.#deleteGeneration(gen);
      return false;
    }
    this.#pointer = next;
    this.#pointerStamp = res.versionstamp;
    this.state = cloneState(state);
    this.#roomOrder = roomOrderOf(state);
    history.apply();
    await this.#deleteGeneration(old);
    if (forget) await this.#history.deleteEpoch(oldEpoch);
    return true;
  }

  #deleteGeneration(gen: number): Promise<void> {
    return deletePrefix(this.#kv, generationPrefix(gen));
  }

  /** Removes generations and epochs of the history older than the current ones (a crash mid-switch). */
  async #dropStaleGenerations(): Promise<void> {
    const stale = new Set<number>();
    const older = this.#kv.list(olderGenerations(this.#pointer.gen), { batchSize: 1000 });
    for await (const e of older) stale.add(generationOf(e.key));
    for (const gen of stale) await this.#deleteGeneration(gen);
    await this.#history.deleteEpochsBefore(this.#pointer.log ?? 0);
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

  async #writeSnapshot(): Promise<void> {
    if (!this.#pointerStamp) return;
    await writeSnapshot(this.#kv, this.state, this.#pointerStamp);
  }
}
