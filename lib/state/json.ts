/** The state's JSON form: reading documents (base file, `~fetchdb`, `--import`) and writing `ptg.json`. */
import { type Document, documentSchema } from "./schema.ts";
import { LIMITS } from "./limits.ts";
import { cloneState, dict, emptyState, type State } from "./model.ts";
import { scheduledTracks } from "./schedule.ts";
import { defaultColor } from "./colors.ts";

const KNOWN_KEYS = new Set(Object.keys(emptyState()));

/** A validated document, or the reason it was refused. */
export type ParsedDocument =
  | { ok: true; doc: Document; ignored: string[] }
  | { ok: false; error: string };

/** Parses and validates the text of an event document. */
export function parseDocument(text: string): ParsedDocument {
  if (text.length > LIMITS.documentBytes) {
    return { ok: false, error: `document larger than ${LIMITS.documentBytes} bytes` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : e})` };
  }
  return validateDocument(raw);
}

/** Validates an already parsed document. */
export function validateDocument(raw: unknown): ParsedDocument {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, error: "the document is not a JSON object" };
  }
  const result = documentSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join(".") : "document";
    return { ok: false, error: `${where}: ${issue.message}`.slice(0, 200) };
  }
  const ignored = Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k));
  // zod builds plain objects; copy the validated values from the source so
  // that keys like "__proto__" stay data.
  return { ok: true, doc: normalize(raw as Record<string, unknown>, result.data), ignored };
}

function lowerKeys<T>(r: Record<string, T>): Record<string, T> {
  const out = dict<T>();
  for (const k of Object.keys(r)) out[k.toLowerCase()] = r[k];
  return out;
}

function normalize(raw: Record<string, unknown>, parsed: Document): Document {
  const doc: Document = { ...parsed };
  const rawDict = (key: string) => dict(raw[key] as Record<string, never>);
  if (parsed.slots) doc.slots = dict(parsed.slots);
  if (parsed.schedule) {
    const schedule = dict<Record<string, string>>();
    for (const [name, room] of Object.entries(rawDict("schedule"))) {
      const copy = dict<string>(room);
      for (const k of Object.keys(copy)) {
        if (k !== "url" && k !== "desc" && k !== "cap_icon" && k !== "cap_desc") {
          copy[k] = String(copy[k]).toLowerCase();
        }
      }
      schedule[name] = copy;
    }
    doc.schedule = schedule;
  }
  for (const key of ["now", "next", "etherpads", "urls", "colors", "location"] as const) {
    if (parsed[key]) (doc as Record<string, unknown>)[key] = lowerKeys(rawDict(key));
  }
  if (parsed.links) doc.links = rawDict("links");
  if (parsed.subscriptions) doc.subscriptions = rawDict("subscriptions");
  if (parsed.last_check_in) {
    const checkIns = dict<State["last_check_in"][string]>();
    for (const [nick, c] of Object.entries(rawDict("last_check_in"))) {
      const v = c as State["last_check_in"][string];
      checkIns[nick.toLowerCase()] = { nick: v.nick, location: v.location, in: v.in, out: v.out };
    }
    doc.last_check_in = checkIns;
  }
  if (parsed.tracks) doc.tracks = [...new Set(parsed.tracks)].sort();
  return doc;
}

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
  if (includePrivate) entries.push(["subscriptions", state.subscriptions, true]);
  entries.push(["timestamp", state.timestamp, false]);
  return entries;
}

/**
 * The document form of the state, with map keys in a stable order.
 * `includePrivate` keeps `subscriptions` (backups); `ptg.json` leaves them out.
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
