/** The KV store on a large event: every value far below 64 KiB, reopened equal, big changes atomic. */
import assert from "node:assert/strict";
import { KvStore } from "../lib/state/kv_store.ts";
import { stateToJson } from "../lib/state/json.ts";
import { largeState } from "../bench/large_event.ts";
import { emptyState } from "../lib/state/model.ts";

Deno.test("kv store: the large event is stored with every value under 16 KiB and reads back equal", async () => {
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
  for await (const e of store.kv.list({ prefix: [] })) {
    largest = Math.max(largest, JSON.stringify(e.value).length);
    count++;
  }
  assert.ok(largest < 16 * 1024, `largest value ${largest} bytes`);
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
