/**
 * A child program on a fake timeline: libfaketime preloaded into it with an
 * offset from the real time, so that a test starts it minutes before a slot
 * begins and the slot's start comes in seconds of real time. The library
 * itself rather than the `faketime` command, which would stay the parent: a
 * signal to it would not reach the program.
 *
 * @module
 */
import { type Bot, MAIN, spawnBot } from "./process.ts";

const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/** A fake timeline: real time shifted so that "now" is `moment` when this is called. */
export interface Timeline {
  /** libfaketime's relative offset (`+3600.0s`). */
  offset: string;
  /** The timeline's now, in ms since the epoch. */
  now: () => number;
}

/** The timeline on which it is `moment` now. */
export function timeline(moment: number): Timeline {
  const shift = moment - Date.now();
  return {
    offset: `${shift >= 0 ? "+" : "-"}${(Math.abs(shift) / 1000).toFixed(1)}s`,
    now: () => Date.now() + shift,
  };
}

/** Starts the program with the config at `path` on the timeline, in `dir`. */
export function botOn(line: Timeline, path: string, dir: string): Promise<Bot> {
  return spawnBot(Deno.execPath(), ["run", "-A", MAIN, path], dir, {
    TZ: "UTC",
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: line.offset,
  });
}

/** Waits until the timeline reaches `moment`. */
export async function until(line: Timeline, moment: number): Promise<void> {
  const wait = moment - line.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
