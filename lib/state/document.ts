/** Reading event documents (base file, `~fetchdb`, `--import`): JSON, bounds and schema checked before use. */
import { type Document, documentSchema } from "./schema.ts";
import { LIMITS } from "./limits.ts";
import { dict, emptyState, type State } from "./model.ts";
import { errorText } from "../util/errors.ts";
import { gridToDocument } from "./csv_grid.ts";

const KNOWN_KEYS = new Set(Object.keys(emptyState()));

/** A validated document, or the reason it was refused. */
export type ParsedDocument =
  | { ok: true; doc: Document; ignored: string[] }
  | { ok: false; error: string; lines?: string[] };

/** True when a file name or URL path names a spreadsheet grid rather than a JSON document. */
export function isGridName(name: string): boolean {
  return /\.csv$/i.test(name);
}

/**
 * Reads a spreadsheet grid (see `csv_grid.ts`) as a document: its event id,
 * days, slots and rooms. `timeZone` is the bot's: a grid in another zone is
 * refused. A refusal's `error` is the first problem (and how many more);
 * `lines` has each problem on its own line.
 */
export function parseGridDocument(text: string, timeZone: string): ParsedDocument {
  if (text.length > LIMITS.documentBytes) {
    return { ok: false, error: `document larger than ${LIMITS.documentBytes} bytes` };
  }
  const grid = gridToDocument(text, timeZone);
  if (!grid.ok) {
    const more = grid.errors.length > 1 ? ` (and ${grid.errors.length - 1} more)` : "";
    return { ok: false, error: `${grid.errors[0]}${more}`, lines: grid.errors };
  }
  return validateDocument(grid.doc);
}

/** Parses and validates the text of an event document. */
export function parseDocument(text: string): ParsedDocument {
  if (text.length > LIMITS.documentBytes) {
    return { ok: false, error: `document larger than ${LIMITS.documentBytes} bytes` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // The parser's message quotes the text, and a document can hold anything (a fetched credential):
    // say where it broke, never what was there.
    const at = /at position (\d+)/.exec(errorText(e));
    return { ok: false, error: at ? `not JSON (at byte ${at[1]})` : "not JSON" };
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
  if (parsed.follows) {
    const follows = dict<string[]>();
    for (const [id, tracks] of Object.entries(rawDict("follows"))) {
      follows[id] = [...new Set((tracks as string[]).map((t) => t.toLowerCase()))];
    }
    doc.follows = follows;
  }
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
