/**
 * The store's start-up snapshot: on a clean stop the whole state is saved as
 * a few large chunks tagged with the pointer's versionstamp, so that the next
 * start reads them instead of every entity. It is only a cache: a commit
 * after it makes it stale, and a missing chunk or unreadable text makes it
 * unused; then the store reads the entities (`store_keys.ts`).
 *
 * @module
 */
import { dict, emptyState, MAP_NAMES, type Room, type State } from "../state/model.ts";
import { stateToJson } from "../state/json.ts";
import { deletePrefix, retryLocked } from "./kv.ts";
import { chunkKey, chunkPrefix, SNAPSHOT } from "./store_keys.ts";
import { joinBytes } from "../util/bytes.ts";

/** Each chunk's bytes: half of KV's 64 KiB limit on a value. */
const SNAPSHOT_CHUNK = 32_000;
/** Chunks written per atomic operation. */
const CHUNKS_PER_COMMIT = 10;

/** What `SNAPSHOT` holds. */
export interface SnapshotMeta {
  /** The pointer's versionstamp the snapshot was taken at; any later commit makes it stale. */
  versionstamp: string;
  id: string;
  chunks: number;
}

/** A state from our own snapshot text (written by `stateToJson(…, true)`, so trusted). */
function fromSnapshot(doc: Record<string, never>): State {
  const s = emptyState(doc.timestamp);
  s.eventid = doc.eventid;
  s.voice = doc.voice;
  s.tracks = doc.tracks;
  s.slots = dict(doc.slots);
  s.schedule = dict();
  for (const [name, room] of Object.entries(doc.schedule as Record<string, Room>)) {
    s.schedule[name] = dict(room);
  }
  for (const map of MAP_NAMES) (s as unknown as Record<string, unknown>)[map] = dict(doc[map] ?? {});
  s.motd = doc.motd;
  s.links = dict(doc.links);
  return s;
}

/** The state a snapshot holds, or undefined when any chunk is missing (then entities are read). */
export async function readSnapshot(kv: Deno.Kv, meta: SnapshotMeta): Promise<State | undefined> {
  const parts: Uint8Array[] = [];
  for await (const e of kv.list<Uint8Array>({ prefix: chunkPrefix(meta.id) })) {
    parts.push(e.value);
  }
  if (parts.length !== meta.chunks) return undefined;
  try {
    return fromSnapshot(JSON.parse(new TextDecoder().decode(joinBytes(parts))));
  } catch {
    return undefined;
  }
}

/**
 * Saves `state` as the snapshot of the pointer whose versionstamp is
 * `pointerStamp`, then deletes the snapshot it replaces.
 */
export async function writeSnapshot(kv: Deno.Kv, state: State, pointerStamp: string): Promise<void> {
  const bytes = new TextEncoder().encode(stateToJson(state, true));
  const id = crypto.randomUUID();
  const chunks = Math.ceil(bytes.length / SNAPSHOT_CHUNK);
  for (let first = 0; first < chunks; first += CHUNKS_PER_COMMIT) {
    const op = kv.atomic();
    for (let i = first; i < Math.min(chunks, first + CHUNKS_PER_COMMIT); i++) {
      op.set(chunkKey(id, i), bytes.subarray(i * SNAPSHOT_CHUNK, (i + 1) * SNAPSHOT_CHUNK));
    }
    await retryLocked(() => op.commit());
  }
  const old = await retryLocked(() => kv.get<SnapshotMeta>(SNAPSHOT));
  const meta: SnapshotMeta = { versionstamp: pointerStamp, id, chunks };
  await retryLocked(() => kv.atomic().check(old).set(SNAPSHOT, meta).commit());
  if (old.value) await deletePrefix(kv, chunkPrefix(old.value.id));
}
