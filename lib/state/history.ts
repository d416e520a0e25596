/**
 * The history of an event: every accepted `#TRACK now`, with when, the track,
 * the room it was in and the topic. It outlives `~newday` (only `~emptydb`
 * clears it) and is kept apart from the state: it is not part of `ptg.json`
 * nor of backups, and holds nothing about people (no check-ins, no
 * subscriptions).
 *
 * @module
 */

/** One accepted `now`. */
export interface HistoryEntry {
  /** When, in UTC (ISO 8601). */
  at: string;
  track: string;
  /** The room the track was in then (its scheduled room, else its location), or "". */
  room: string;
  topic: string;
}

/** Entries kept; the oldest go past it (a large event records a few thousand). */
export const HISTORY_LIMIT = 20_000;
