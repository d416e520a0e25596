/**
 * The event's history in KV (`lib/storage/history.ts`): every accepted `now`, kept through ~newday and
 * restarts in a real KV file, bounded, emptied by ~emptydb.
 */
import assert from "node:assert/strict";
import { Runner } from "../../lib/app/runner.ts";
import type { HistoryEntry } from "../../lib/state/history.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { ALICE, CTX, NOW, OP, sampleState, VOICED } from "../helpers/fixtures.ts";

/** A store on a fresh KV file and a runner over it whose clock the test moves. */
async function setup(limit?: number) {
  let historyLimit = limit;
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-history-" });
  const path = `${dir}/s.kv`;
  let store = await KvStore.open(path, { historyLimit });
  await store.replace(sampleState());
  let clock = NOW;
  const runnerOf = (s: KvStore) => {
    const r = new Runner(s, CTX, () => Promise.resolve({ ok: false, error: "no" }));
    r.clock = () => clock;
    return r;
  };
  let runner = runnerOf(store);
  return {
    get store() {
      return store;
    },
    run: (line: string, who = OP) => runner.run(who, line),
    at(iso: string) {
      clock = new Date(iso);
    },
    async restart(newLimit = historyLimit) {
      historyLimit = newLimit;
      await store.close();
      store = await KvStore.open(path, { historyLimit });
      runner = runnerOf(store);
    },
    async keys() {
      const out: Deno.KvKey[] = [];
      for await (const e of store.kv.list({ prefix: ["ptg", "history"] })) out.push(e.key);
      return out;
    },
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const topics = (entries: readonly HistoryEntry[]) => entries.map((e) => `${e.track}: ${e.topic}`);

Deno.test("history: each accepted now is kept with time, track and room; nothing else is", async () => {
  const t = await setup();
  try {
    await t.run("#nova now Quotas");
    await t.run("#nova next Cells");
    await t.run("+in #nova", ALICE);
    await t.run("+subscribe nova", ALICE);
    await t.run("#nova etherpad auto");
    await t.run(`#nova now ${"x".repeat(400)}`); // refused: too long
    t.at("2027-04-12T13:45:00Z");
    await t.run("#nova now Cells", VOICED);
    await t.run("#cinder now Backups");
    await t.run("#nosuchtrack now Anything");
    // A location override is where the page says the track is, so the history says so too.
    await t.run("#cinder location Hallway by the coffee");
    await t.run("#cinder now Restores");
    assert.deepEqual(await t.store.history(), [
      { at: "2027-04-12T10:00:00.000Z", track: "nova", room: "Ballroom A", topic: "Quotas" },
      { at: "2027-04-12T13:45:00.000Z", track: "nova", room: "Ballroom A", topic: "Cells" },
      { at: "2027-04-12T13:45:00.000Z", track: "cinder", room: "Cedar", topic: "Backups" },
      { at: "2027-04-12T13:45:00.000Z", track: "cinder", room: "Hallway by the coffee", topic: "Restores" },
    ]);
    // No nick, check-in or subscription anywhere in the history.
    assert.doesNotMatch(JSON.stringify(await t.store.history()), /alice|subscribe|Alice/i);
    // Each entry is one small KV value.
    for await (const e of t.store.kv.list({ prefix: ["ptg", "history"] })) {
      assert.ok(JSON.stringify(e.value).length < 1024);
    }
  } finally {
    await t.close();
  }
});

Deno.test("history: ~newday keeps it, a restart keeps it, ~emptydb clears it (and it stays cleared)", async () => {
  const t = await setup();
  try {
    await t.run("#nova now Quotas");
    await t.run("~newday");
    assert.equal(Object.keys(t.store.state.now).length, 0);
    t.at("2027-04-13T09:30:00Z");
    await t.run("#neutron now OVN");
    await t.restart();
    assert.deepEqual(topics(await t.store.history()), ["nova: Quotas", "neutron: OVN"]);
    assert.equal((await t.keys()).length, 2);
    await t.run("~emptydb");
    assert.deepEqual(await t.store.history(), []);
    assert.equal((await t.keys()).length, 0);
    await t.restart();
    assert.deepEqual(await t.store.history(), []);
    await t.run("~add nova");
    await t.run("#nova now Again");
    await t.restart();
    assert.deepEqual(topics(await t.store.history()), ["nova: Again"]);
  } finally {
    await t.close();
  }
});

Deno.test("history: a now committed with a new generation is kept, and one before ~emptydb in its batch is not", async () => {
  const t = await setup();
  try {
    const entry = { at: NOW.toISOString(), track: "nova", room: "", topic: "With the switch" };
    await t.store.commitState(
      [{ op: "record", entry }, { op: "replace", state: sampleState() }],
      "2027-04-12 10:00:00",
      sampleState(),
    );
    await t.restart();
    assert.deepEqual(await t.store.history(), [entry]);
    await t.store.commitState(
      [{ op: "record", entry: { ...entry, topic: "Gone" } }, { op: "replace", state: sampleState() }, {
        op: "forget",
      }, { op: "record", entry: { ...entry, topic: "After" } }],
      "2027-04-12 10:00:00",
      sampleState(),
    );
    await t.restart();
    assert.deepEqual(topics(await t.store.history()), ["nova: After"]);
  } finally {
    await t.close();
  }
});

Deno.test("history: bounded; past the limit the oldest entries go, in KV too", async () => {
  const t = await setup(5);
  try {
    for (let i = 1; i <= 8; i++) await t.run(`#nova now Topic ${i}`);
    assert.deepEqual(topics(await t.store.history()), [4, 5, 6, 7, 8].map((i) => `nova: Topic ${i}`));
    assert.equal((await t.keys()).length, 5);
    await t.restart();
    assert.deepEqual(topics(await t.store.history()), [4, 5, 6, 7, 8].map((i) => `nova: Topic ${i}`));
    // Through a new generation too.
    await t.run("~newday");
    await t.run("#cinder now Last");
    await t.restart();
    assert.deepEqual(topics(await t.store.history()), [
      "nova: Topic 5",
      "nova: Topic 6",
      "nova: Topic 7",
      "nova: Topic 8",
      "cinder: Last",
    ]);
    assert.equal((await t.keys()).length, 5);
    // A lower limit later: the next commits drop the surplus, a bounded number at a time.
    await t.restart(2);
    await t.run("#qa now Tests");
    assert.deepEqual(topics(await t.store.history()), ["cinder: Last", "qa: Tests"]);
    assert.equal((await t.keys()).length, 2);
  } finally {
    await t.close();
  }
});

Deno.test("history: an epoch a crash left after ~emptydb is removed at open", async () => {
  const t = await setup();
  try {
    await t.run("#nova now Quotas");
    await t.run("~emptydb");
    await t.run("~add nova");
    await t.run("#nova now Again");
    // As if the process died before deleting the epoch the ~emptydb left.
    const ghost = { at: NOW.toISOString(), track: "nova", room: "", topic: "Ghost" };
    await t.store.kv.set(["ptg", "history", 0, 1, 0], ghost);
    assert.equal((await t.keys()).length, 2);
    await t.restart();
    // Only the current epoch (1) is left.
    assert.deepEqual((await t.keys()).map((k) => k[2]), [1]);
    assert.deepEqual(topics(await t.store.history()), ["nova: Again"]);
  } finally {
    await t.close();
  }
});
