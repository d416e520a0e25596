/**
 * Notices of claimed moments that a leaving process did not send (still in
 * its scheduler or waiting whole in its send queue), kept in KV for the
 * next leader. The mark (`reminder_mark.ts`) made the leaving process their
 * only owner, and it hands them over by writing them here and no longer
 * holding them; the next leader takes a batch by deleting it in an atomic
 * commit checked against the batch and the lease, so only one process ever
 * takes it. Each notice carries its moment (`Due`), so the one who takes it
 * can tell whether it still matters and say it in the words of that time.
 *
 * @module
 */
import { retryLocked } from "./kv.ts";
import { REMINDERS_PENDING } from "./store_keys.ts";
import type { Due } from "../state/reminders.ts";

/** One notice owed: to a follower's key, for a moment. */
export interface PendingNotice {
  to: string;
  due: Due;
}

/** What one key holds. */
interface Batch {
  notices: PendingNotice[];
}

/** Bytes of JSON in one batch at most: far below KV's 64 KiB per value. */
export const PENDING_BATCH_BYTES = 16_000;
/** Batches written in one commit (KV takes at most 800 KiB in one). */
const BATCHES_PER_COMMIT = 20;

/** Splits notices into batches of at most `PENDING_BATCH_BYTES` of JSON each. */
function batches(notices: readonly PendingNotice[]): Batch[] {
  const out: Batch[] = [];
  let current: PendingNotice[] = [];
  let bytes = 0;
  for (const n of notices) {
    const size = JSON.stringify(n).length + 1;
    if (current.length && bytes + size > PENDING_BATCH_BYTES) {
      out.push({ notices: current });
      current = [];
      bytes = 0;
    }
    current.push(n);
    bytes += size;
  }
  if (current.length) out.push({ notices: current });
  return out;
}

/**
 * Writes notices for the next leader, in order. The caller must hold them
 * alone and send none of them afterwards: then they are sent once, by
 * whoever takes them. `written` (ms) orders them after earlier ones.
 */
export async function savePending(
  kv: Deno.Kv,
  notices: readonly PendingNotice[],
  written: number,
): Promise<void> {
  const id = crypto.randomUUID();
  const all = batches(notices);
  for (let i = 0; i < all.length; i += BATCHES_PER_COMMIT) {
    const op = kv.atomic();
    all.slice(i, i + BATCHES_PER_COMMIT).forEach((b, j) =>
      op.set([...REMINDERS_PENDING, written, id, i + j], b)
    );
    const res = await retryLocked(() => op.commit());
    if (!res.ok) throw new Error("reminders: writing pending notices failed");
  }
}

/**
 * Takes pending notices, oldest first, a batch at a time while fewer than
 * `max` are taken (so up to a batch more): each batch is deleted in a
 * commit checked against it and the lease (`lease()` gives the lease's
 * check, undefined when this process does not hold it), so a batch is
 * taken by one leader only.
 */
export async function takePending(
  kv: Deno.Kv,
  lease: () => Promise<Deno.AtomicCheck | undefined>,
  max: number,
): Promise<PendingNotice[]> {
  const out: PendingNotice[] = [];
  if (max <= 0) return out;
  const it = kv.list<Batch>({ prefix: REMINDERS_PENDING }, { batchSize: 10 });
  for await (const entry of it) {
    const check = await lease();
    if (!check) break;
    const res = await retryLocked(() => kv.atomic().check(entry).check(check).delete(entry.key).commit());
    if (res.ok) out.push(...entry.value.notices);
    if (out.length >= max) break;
  }
  return out;
}
