/**
 * What the web side serves: one committed moment of the event. The store
 * commits, a snapshot is taken of it (the state, its version, the event's
 * settings served beside the state, and its history), and every route builds
 * from that one value; nothing on the web side reads the store. The state
 * and its version are read together, so a representation is never built from
 * one version and kept under another.
 *
 * @module
 */
import type { HistoryEntry } from "../state/history.ts";
import type { State } from "../state/model.ts";

/** One committed moment of the event, as the web side serves it. */
export interface Snapshot {
  /** The committed state. */
  readonly state: State;
  /** Changes whenever the state does. */
  readonly version: number;
  /** Base of the generated etherpad URLs, served with the state. */
  readonly etherpadBase: string;
  /** The event's IANA time zone, served with the state so pages apply the same "today". */
  readonly timeZone: string;
  /** The event's history (`/history.html`, `/history.json`, `/TRACK.md`), oldest first. */
  history(): Promise<readonly HistoryEntry[]>;
}

/** What snapshots are taken of: the store (`KvStore` has this shape) or a test's own state. */
export interface Committed {
  readonly state: State;
  readonly version: number;
  /** The event's history; none when absent. */
  history?(): Promise<readonly HistoryEntry[]>;
}

/** The event's settings that are served with every snapshot. */
export interface ServedSettings {
  etherpadBase: string;
  timeZone: string;
}

const NO_HISTORY = () => Promise.resolve([] as readonly HistoryEntry[]);

/**
 * The current snapshot of `store`, taken anew only when its state or version
 * moved (a request in between gets the same value).
 */
export function snapshots(store: Committed, settings: ServedSettings): () => Snapshot {
  const history = store.history ? () => store.history!() : NO_HISTORY;
  let last: Snapshot | undefined;
  return () => {
    const { state, version } = store;
    if (last?.state !== state || last.version !== version) {
      last = { state, version, etherpadBase: settings.etherpadBase, timeZone: settings.timeZone, history };
    }
    return last;
  };
}

/** The fields served beside the state, in `ptg.json` and in the pages alike. */
export function servedExtras(snap: Snapshot): { etherpad_base: string; timezone: string } {
  return { etherpad_base: snap.etherpadBase, timezone: snap.timeZone };
}

/** The state as `ptg.json` serves it: the state with its extra fields. */
export function servedState(snap: Snapshot): Record<string, unknown> {
  return { ...snap.state, ...servedExtras(snap) };
}
