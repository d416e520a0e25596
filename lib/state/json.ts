/**
 * The state's JSON form: merging validated documents into the state, and
 * writing `ptg.json` and backups. Reading and checking documents is in
 * `document.ts`, loaded only when a document comes in.
 */
import type { Document } from "./schema.ts";
import { cloneState, type State } from "./model.ts";
import { scheduledTracks } from "./schedule.ts";
import { defaultColor } from "./colors.ts";

/**
 * The state after a document: each key it has replaces that key; tracks named
 * in the schedule are added; tracks without a colour get one.
 */
export function mergeDocument(state: State, doc: Document): State {
  const next = cloneState(state);
  for (const [key, value] of Object.entries(doc)) {
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return completeState(next);
}

/** Adds the schedule's tracks to the track list and gives every track a colour. */
export function completeState(state: State): State {
  const tracks = new Set(state.tracks);
  for (const t of scheduledTracks(state)) tracks.add(t);
  state.tracks = [...tracks].sort();
  for (const t of state.tracks) state.colors[t] ??= defaultColor(t);
  return state;
}

/** Top-level keys of the document in order, and whether their map keys are sorted on output. */
function documentEntries(state: State, includePrivate: boolean): [string, unknown, boolean][] {
  const entries: [string, unknown, boolean][] = [
    ["eventid", state.eventid, false],
    ["voice", state.voice, false],
    ["tracks", state.tracks, false],
    // Days, rooms and links keep the order the event gave them.
    ["slots", state.slots, false],
    ["schedule", state.schedule, false],
    ["now", state.now, true],
    ["next", state.next, true],
    ["etherpads", state.etherpads, true],
    ["urls", state.urls, true],
    ["colors", state.colors, true],
    ["location", state.location, true],
    ["motd", state.motd, false],
    ["links", state.links, false],
    ["last_check_in", state.last_check_in, true],
  ];
  if (includePrivate) {
    entries.push(["subscriptions", state.subscriptions, true], ["follows", state.follows, true]);
  }
  entries.push(["timestamp", state.timestamp, false]);
  return entries;
}

/**
 * The document form of the state, with map keys in a stable order.
 * `includePrivate` keeps `subscriptions` and `follows` (backups); `ptg.json` leaves them out.
 */
export function exportDocument(state: State, includePrivate: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [key, value, sorted] of documentEntries(state, includePrivate)) {
    if (!sorted) {
      doc[key] = value;
      continue;
    }
    const map = value as Record<string, unknown>;
    doc[key] = Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]));
  }
  return doc;
}

// The JSON of each entry (a check-in, a room, a next list), kept while that
// object lives: commands replace entries rather than change them, so after a
// command only the entries it touched are serialised again.
const fragments = new WeakMap<object, string>();

function valueJson(v: unknown): string {
  if (typeof v !== "object" || v === null) return JSON.stringify(v);
  let json = fragments.get(v);
  if (json === undefined) {
    json = JSON.stringify(v);
    fragments.set(v, json);
  }
  return json;
}

function mapJson(r: Record<string, unknown>, sort: boolean): string {
  const keys = Object.keys(r);
  if (sort) keys.sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueJson(r[k])}`).join(",")}}`;
}

/**
 * `ptg.json` (public) or a full backup, as text: the same bytes as
 * `JSON.stringify(exportDocument(…))`, built mostly from cached pieces.
 * `extra` keys (not part of the state) are added at the end.
 */
export function stateToJson(
  state: State,
  includePrivate = false,
  extra: Record<string, unknown> = {},
): string {
  const parts = documentEntries(state, includePrivate).map(([key, value, sorted]) => {
    const json = value && typeof value === "object" && !Array.isArray(value)
      ? mapJson(value as Record<string, unknown>, sorted)
      : JSON.stringify(value);
    return `${JSON.stringify(key)}:${json}`;
  });
  for (const [key, value] of Object.entries(extra)) {
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${parts.join(",")}}`;
}
