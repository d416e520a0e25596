/**
 * The event's history in Deno KV (its entries are described in
 * `lib/state/history.ts`): one key per entry beside the generations, under
 * the version of the commit that wrote it (`store_keys.ts`), so a new
 * generation (`~newday`) keeps it. The store writes each entry in the same
 * atomic commit as the `now` that made it; this module says which mutations
 * that commit carries, bounds the history by dropping its oldest entries,
 * and keeps a copy in memory once something has read it, so that a start
 * does not pay for reading it. `~emptydb` moves to a new epoch together with
 * its generation; the old epoch is then deleted.
 *
 * @module
 */
import type { Change } from "../state/model.ts";
import type { HistoryEntry } from "../state/history.ts";
import { deletePrefix, type Mutation, retryLocked } from "./kv.ts";
import { epochOf, historyKey, historyPrefix, olderEpochs } from "./store_keys.ts";

/** The history as read from KV: each entry with its key, oldest first. */
interface Loaded {
  keys: Deno.KvKey[];
  entries: HistoryEntry[];
}

/** What one commit does to the history. */
export interface HistoryWrite {
  /** Deletions of the oldest entries past the limit, then the new entries. */
  mutations: Mutation[];
  /** How many entries the history holds after the commit, for the pointer. */
  count: number;
  /** Makes the committed history the one kept in memory; called once KV holds it. */
  apply(): void;
}

/** The event's history of one KV file, as one store sees it. */
export class KvHistory {
  #kv: Deno.Kv;
  #limit: number;
  /** The history as read from KV, once something asked for it. */
  #loaded?: Loaded;

  constructor(kv: Deno.Kv, limit: number) {
    this.#kv = kv;
    this.#limit = limit;
  }

  /** Forgets the copy in memory (the store reloaded: another process may have written). */
  invalidate(): void {
    this.#loaded = undefined;
  }

  /** The entries of `epoch`, oldest first: read from KV on first use, then kept up to date by `apply`. */
  async entries(epoch: number): Promise<HistoryEntry[]> {
    return (await this.#load(epoch)).entries;
  }

  async #load(epoch: number): Promise<Loaded> {
    if (this.#loaded) return this.#loaded;
    const keys: Deno.KvKey[] = [];
    const entries: HistoryEntry[] = [];
    await retryLocked(async () => {
      keys.length = entries.length = 0;
      for await (
        const e of this.#kv.list<HistoryEntry>({ prefix: historyPrefix(epoch) }, { batchSize: 1000 })
      ) {
        keys.push(e.key);
        entries.push(e.value);
      }
    });
    this.#loaded = { keys, entries };
    return this.#loaded;
  }

  /**
   * The history's part of a commit: the batch's entries under the commit's
   * `version` in `epoch`, and deletions of the oldest past the limit. `count`
   * is how many entries it held before; `forget` says a `~emptydb` came,
   * whose earlier entries are dropped.
   */
  async write(
    changes: readonly Change[],
    version: number,
    epoch: number,
    count: number,
    forget: boolean,
  ): Promise<HistoryWrite> {
    let entries: HistoryEntry[] = [];
    for (const c of changes) {
      if (c.op === "forget") entries = [];
      if (c.op === "record") entries.push(c.entry);
    }
    const had = forget ? 0 : count;
    const fresh = entries.slice(Math.max(0, entries.length - this.#limit));
    // At most a hundred more than it adds, so a commit stays small even if the limit was lowered.
    const drop = Math.min(had, Math.max(0, had + fresh.length - this.#limit), fresh.length + 100);
    let oldest: Deno.KvKey[] = [];
    if (drop && this.#loaded) oldest = this.#loaded.keys.slice(0, drop);
    else if (drop) {
      await retryLocked(async () => {
        oldest = [];
        for await (const e of this.#kv.list({ prefix: historyPrefix(epoch) }, { limit: drop })) {
          oldest.push(e.key);
        }
      });
    }
    const added = fresh.map((entry, i): Mutation => ({ key: historyKey(epoch, version, i), value: entry }));
    return {
      mutations: [...oldest.map((key): Mutation => ({ key })), ...added],
      count: had - drop + fresh.length,
      apply: () => {
        const loaded = this.#loaded;
        if (!loaded) return;
        if (forget) loaded.keys.length = loaded.entries.length = 0;
        loaded.keys.splice(0, drop);
        loaded.entries.splice(0, drop);
        loaded.keys.push(...added.map((m) => m.key));
        loaded.entries.push(...fresh);
      },
    };
  }

  /** Deletes one epoch (the one a `~emptydb` left). */
  deleteEpoch(epoch: number): Promise<void> {
    return deletePrefix(this.#kv, historyPrefix(epoch));
  }

  /** Deletes the epochs before `epoch`: left by a `~emptydb` whose clean-up a crash cut short. */
  async deleteEpochsBefore(epoch: number): Promise<void> {
    if (epoch <= 0) return;
    const keys: Deno.KvKey[] = [];
    for await (const e of this.#kv.list(olderEpochs(epoch))) keys.push(e.key);
    for (const old of new Set(keys.map(epochOf))) await this.deleteEpoch(old);
  }
}
