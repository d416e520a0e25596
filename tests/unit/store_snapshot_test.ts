/**
 * The start-up snapshot (`lib/storage/store_snapshot.ts`): read by the next start, unused once stale or
 * broken.
 */
import assert from "node:assert/strict";
import { KvStore } from "../../lib/storage/store.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { largeState } from "../../bench/large_event.ts";

Deno.test("store snapshot: a clean close leaves a snapshot the next start reads; a later commit or a lost chunk makes it unused", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/s.kv`;
  const big = largeState();
  let store = await KvStore.open(path);
  await store.replace(big);
  await store.close();
  // An entity changed behind the pointer's back shows which copy a start reads.
  const kv = await Deno.openKv(path);
  const gen = ((await kv.get<{ gen: number }>(["ptg", "current"])).value!).gen;
  await kv.set(["ptg", gen, "now", "track-000"], "changed behind the pointer");
  const meta = (await kv.get<{ id: string; chunks: number }>(["ptg", "snapshot"])).value!;
  assert.ok(meta.chunks > 1);
  kv.close();

  store = await KvStore.open(path);
  assert.equal(stateToJson(store.state, true), stateToJson(big, true), "read from the snapshot");
  // Work goes on as usual on a state loaded from a snapshot.
  assert.ok(
    await store.commit([{ op: "set", map: "now", key: "track-001", value: "after" }], "2027-04-12 10:00:00"),
  );
  const expected = stateToJson(store.state, true);
  await store.close();
  store = await KvStore.open(path);
  assert.equal(stateToJson(store.state, true), expected);
  await store.close();

  // A snapshot whose chunk is gone is not used: the entities are read.
  const kv2 = await Deno.openKv(path);
  const meta2 = (await kv2.get<{ id: string }>(["ptg", "snapshot"])).value!;
  await kv2.delete(["ptg", "chunk", meta2.id, 0]);
  kv2.close();
  store = await KvStore.open(path);
  assert.equal(store.state.now["track-000"], "changed behind the pointer");
  assert.equal(store.state.now["track-001"], "after");
  await store.close();

  // A commit by another process after the snapshot makes it stale.
  const a = await KvStore.open(path);
  const b = await KvStore.open(path);
  await a.close(); // snapshot at the current pointer
  assert.ok(await b.commit([{ op: "track", track: "late", present: true }], "2027-04-12 10:00:01"));
  const c = await KvStore.open(path);
  assert.ok(c.state.tracks.includes("late"));
  await c.close();
  await b.close();
});
