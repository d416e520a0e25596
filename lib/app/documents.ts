/**
 * Event documents in and out of the store: a backup or grid written out
 * (`--export`), a document file read in (`--import`), and the state an empty
 * store starts from (the config's `base` file, or the sample).
 *
 * @module
 */
import baseEvent from "../../base.json" with { type: "json" };
import { completeState, mergeDocument, stateToJson } from "../state/json.ts";
import type { ParsedDocument } from "../state/document.ts";
import { localTime } from "../shared/rules.js";
import { emptyState } from "../state/model.ts";
import { moveEvent } from "../state/move_event.ts";
import type { KvStore } from "../storage/store.ts";
import type { Config } from "./config.ts";
import { writePrivateFile } from "../util/private_files.ts";
import { errorText } from "../util/errors.ts";

/** Reads an event document (JSON, or a `.csv` grid in `timeZone`) from a file, refusing it with a reason. */
async function readDocumentFile(path: string, timeZone: string): Promise<ParsedDocument> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${errorText(e)}` };
  }
  // The schema and its validator load only when a document comes in.
  const { isGridName, parseDocument, parseGridDocument } = await import("../state/document.ts");
  return isGridName(path) ? parseGridDocument(text, timeZone) : parseDocument(text);
}

/** The state a document describes on its own (for the base file and `--import`). */
function stateFromDocument(doc: ParsedDocument & { ok: true }, timeZone: string) {
  const state = completeState(mergeDocument(emptyState(), doc.doc));
  if (!state.timestamp) state.timestamp = localTime(new Date(), timeZone).stamp;
  return state;
}

/**
 * Writes a full backup (subscriptions included) of the store to `path`, or
 * its schedule as a grid in `timeZone` when `path` ends in `.csv`; resolves
 * with the reason when it cannot.
 */
export async function exportTo(store: KvStore, path: string, timeZone: string): Promise<string | undefined> {
  const { isGridName } = await import("../state/document.ts");
  let text: string;
  if (isGridName(path)) {
    const { stateToGrid } = await import("../state/csv_grid.ts");
    const grid = stateToGrid(store.state, timeZone);
    if (!grid.ok) return `--export ${path}: ${grid.error}`;
    text = grid.text;
  } else {
    text = stateToJson(store.state, true) + "\n";
  }
  try {
    // A dated backup goes into a folder that a fresh install does not have yet.
    const folder = path.replace(/[/\\][^/\\]*$/, "");
    if (folder !== path && folder !== "") await Deno.mkdir(folder, { recursive: true });
    if (isGridName(path)) await Deno.writeTextFile(path, text);
    else await writePrivateFile(path, text);
  } catch (e) {
    return `--export ${path}: ${errorText(e)}`;
  }
  return undefined;
}

/** Replaces the store's state with a document file's. */
export async function importFrom(
  store: KvStore,
  path: string,
  timeZone: string,
): Promise<string | undefined> {
  const doc = await readDocumentFile(path, timeZone);
  if (!doc.ok) return (doc.lines ?? [doc.error]).map((line) => `--import ${path}: ${line}`).join("\n");
  // A running bot on the same store may commit meanwhile: the switch then fails and is tried on the new version.
  for (let tries = 0; tries < 5; tries++) {
    if (await store.replace(stateFromDocument(doc, timeZone))) return undefined;
  }
  return `--import ${path}: the store kept changing; nothing imported, try again`;
}

/** Fills an empty store: from the config's `base` file, or for the demo with the sample, starting today. */
export async function loadBase(store: KvStore, config: Config, now: Date): Promise<void> {
  if (config.base) {
    const doc = await readDocumentFile(config.base, config.timeZone);
    if (!doc.ok) throw new Error(`base event ${config.base}: ${doc.error}`);
    await store.replace(stateFromDocument(doc, config.timeZone));
  } else if (config.sample) {
    const { validateDocument } = await import("../state/document.ts");
    const doc = validateDocument(baseEvent);
    if (!doc.ok) throw new Error(`the embedded sample event: ${doc.error}`);
    const today = localTime(now, config.timeZone).date;
    await store.replace(moveEvent(stateFromDocument(doc, config.timeZone), today, config.timeZone));
  }
}
