/**
 * The store (`lib/storage/store.ts`) on a large event: every value far below 64 KiB, reopened equal, big
 * changes atomic, other processes' commits followed.
 */
import assert from "node:assert/strict";
import { KvStore } from "../../lib/storage/store.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { largeState } from "../../bench/large_event.ts";
import { emptyState } from "../../lib/state/model.ts";

Deno.test("store: the large event is stored with every value far below 64 KiB and reads back equal", async () => {
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

Deno.test("store: replacing a large state leaves no old generation behind", async () => {
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

Deno.test("store: a commit made elsewhere is picked up by refresh", async () => {
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

Deno.test("store: a generation left behind by a crash is removed at open", async () => {
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

Deno.test("store: follow picks up a commit made elsewhere, tells of it once, and stops", async () => {
  const dir = await Deno.makeTempDir();
  const a = await KvStore.open(`${dir}/s.kv`);
  const b = await KvStore.open(`${dir}/s.kv`);
  const logged: string[] = [];
  let told = 0;
  let seen: () => void = () => {};
  const changed = new Promise<void>((resolve) => seen = resolve);
  const following = b.follow(() => {
    told++;
    seen();
  }, (line) => logged.push(line));
  assert.ok(await a.commit([{ op: "track", track: "zed", present: true }], "2027-01-01 00:00:00"));
  await changed;
  assert.deepEqual(b.state.tracks, ["zed"]);
  assert.equal(b.version, a.version);
  await following.stop();
  // Stopped: a later commit elsewhere is no longer followed.
  assert.ok(await a.commit([{ op: "track", track: "yak", present: true }], "2027-01-01 00:00:01"));
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(told, 1);
  assert.deepEqual(b.state.tracks, ["zed"]);
  assert.deepEqual(logged, []);
  await a.close();
  await b.close();
});
