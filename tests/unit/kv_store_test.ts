/** The KV store on a large event: every value far below 64 KiB, reopened equal, big changes atomic. */
import assert from "node:assert/strict";
import { KvStore } from "../../lib/storage/kv_store.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { largeState } from "../../bench/large_event.ts";
import { emptyState } from "../../lib/state/model.ts";

Deno.test("kv store: the large event is stored with every value far below 64 KiB and reads back equal", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/big.kv`;
  const big = largeState();
  let store = await KvStore.open(path);
  assert.equal(store.isNew, true);
  await store.replace(big);
  await store.close();
  store = await KvStore.open(path);
  assert.equal(stateToJson(store.state, true), stateToJson(big, true));
  let largest = 0;
  let count = 0;
  let largestChunk = 0;
  for await (const e of store.kv.list({ prefix: [] })) {
    if (e.value instanceof Uint8Array) largestChunk = Math.max(largestChunk, e.value.byteLength);
    else largest = Math.max(largest, JSON.stringify(e.value).length);
    count++;
  }
  // Entities stay small; the start-up snapshot's chunks stay at half the limit.
  assert.ok(largest < 16 * 1024, `largest value ${largest} bytes`);
  assert.ok(largestChunk <= 32_000, `largest snapshot chunk ${largestChunk} bytes`);
  assert.ok(count > 5000);
  await store.close();
});

Deno.test("kv store: replacing a large state leaves no old generation behind", async () => {
  const dir = await Deno.makeTempDir();
  const store = await KvStore.open(`${dir}/s.kv`);
  await store.replace(largeState());
  await store.replace(emptyState("2027-01-01 00:00:00"));
  const keys: Deno.KvKey[] = [];
  for await (const e of store.kv.list({ prefix: [] })) keys.push(e.key);
  // The pointer and the new generation's two records (meta, motd).
  assert.equal(keys.length, 3, JSON.stringify(keys));
  await store.close();
});

Deno.test("kv store: a commit made elsewhere is picked up by refresh", async () => {
  const dir = await Deno.makeTempDir();
  const a = await KvStore.open(`${dir}/s.kv`);
  const b = await KvStore.open(`${dir}/s.kv`);
  assert.equal(await b.refresh(), false);
  assert.ok(await a.commit([{ op: "track", track: "zed", present: true }], "2027-01-01 00:00:00"));
  assert.equal(await b.refresh(), true);
  assert.deepEqual(b.state.tracks, ["zed"]);
  // b's snapshot was current, so its commit goes through; a stale one is refused and reloads.
  assert.ok(await b.commit([{ op: "track", track: "yak", present: true }], "2027-01-01 00:00:01"));
  assert.equal(await a.commit([{ op: "track", track: "xen", present: true }], "2027-01-01 00:00:02"), false);
  assert.deepEqual(a.state.tracks, ["yak", "zed"]);
  await a.close();
  await b.close();
});

Deno.test("kv store: a generation left behind by a crash is removed at open", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/s.kv`;
  let store = await KvStore.open(path);
  await store.replace(emptyState("2027-01-01 00:00:00"));
  await store.replace(emptyState("2027-01-01 00:00:01"));
  // As if a process died after writing part of an older generation.
  await store.kv.set(["ptg", 0, "tracks", "ghost"], 1);
  await store.close();
  store = await KvStore.open(path);
  assert.equal((await store.kv.get(["ptg", 0, "tracks", "ghost"])).versionstamp, null);
  assert.deepEqual(store.state.tracks, []);
  await store.close();
});

Deno.test("kv store: a clean close leaves a snapshot the next start reads; a later commit or a lost chunk makes it unused", async () => {
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
