/**
 * Working within Deno KV's limits, for every module that writes to the file:
 * retrying while SQLite reports it busy (several processes may share it),
 * keeping each atomic operation well inside KV's size limits, and deleting a
 * whole prefix in such bounded steps.
 *
 * @module
 */
import { errorText } from "../util/errors.ts";

/** KV refuses atomic operations of more than 1000 mutations or 800 KiB; stay well inside. */
export const BATCH_MUTATIONS = 400;
export const BATCH_BYTES = 400 * 1024;

/** One write of an atomic operation: a set, or a delete when `value` is undefined. */
export type Mutation = { key: Deno.KvKey; value?: unknown };

/** The bytes a mutation adds to an atomic operation, near enough to keep a batch within `BATCH_BYTES`. */
export function mutationSize(m: Mutation): number {
  return JSON.stringify(m.key).length + (m.value === undefined ? 0 : JSON.stringify(m.value).length);
}

/** Adds mutations to an atomic operation. */
export function addMutations(op: Deno.AtomicOperation, mutations: readonly Mutation[]): void {
  for (const m of mutations) m.value === undefined ? op.delete(m.key) : op.set(m.key, m.value);
}

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

/** Deletes every key under `prefix`, a batch of at most `BATCH_MUTATIONS` per atomic operation. */
export async function deletePrefix(kv: Deno.Kv, prefix: Deno.KvKey): Promise<void> {
  let keys: Deno.KvKey[] = [];
  for await (const e of kv.list({ prefix }, { batchSize: 1000 })) {
    keys.push(e.key);
    if (keys.length >= BATCH_MUTATIONS) {
      const op = kv.atomic();
      for (const k of keys) op.delete(k);
      await retryLocked(() => op.commit());
      keys = [];
    }
  }
  if (keys.length) {
    const op = kv.atomic();
    for (const k of keys) op.delete(k);
    await retryLocked(() => op.commit());
  }
}
