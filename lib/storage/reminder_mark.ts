/**
 * The reminder scheduler's mark in KV: the moment up to which every
 * reminder and slot start was dealt with. It moves forward only by an
 * atomic commit checked against the mark read and against the lease (so two
 * processes never both claim one moment), and only then are the notices of
 * that stretch queued: see docs/reminders.md for what this gives on a
 * crash, a restart and a hand-over.
 *
 * @module
 */
import { retryLocked } from "./kv.ts";
import { REMINDER_MARK } from "./store_keys.ts";

/** What the mark holds: ms since the epoch. */
export interface Mark {
  upTo: number;
}

/** The mark as KV holds it now (`value` null when the scheduler never ran on this file). */
export function readMark(kv: Deno.Kv): Promise<Deno.KvEntryMaybe<Mark>> {
  return retryLocked(() => kv.get<Mark>(REMINDER_MARK));
}

/**
 * Moves the mark from `seen` (as read) to `upTo` in one atomic commit that
 * also checks `checks` (the lease). Resolves false, changing nothing, when
 * the mark or a check moved since they were read.
 */
export async function advanceMark(
  kv: Deno.Kv,
  seen: Deno.KvEntryMaybe<Mark>,
  upTo: number,
  checks: readonly Deno.AtomicCheck[] = [],
): Promise<boolean> {
  const op = kv.atomic().check(seen);
  for (const c of checks) op.check(c);
  const res = await retryLocked(() => op.set(REMINDER_MARK, { upTo } satisfies Mark).commit());
  return res.ok;
}
