/** The event's record: every accepted `now`, kept through ~newday and restarts in a real KV file, bounded, served. */
import assert from "node:assert/strict";
import { Runner } from "../../lib/app/runner.ts";
import type { HistoryEntry } from "../../lib/state/history.ts";
import { KvStore } from "../../lib/storage/kv_store.ts";
import { createWebApp } from "../../lib/web/server.ts";
import { historyBody, trackMarkdown } from "../../lib/web/history.ts";
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
    // A location override is where the page says the track is, so the record says so too.
    await t.run("#cinder location Hallway by the coffee");
    await t.run("#cinder now Restores");
    assert.deepEqual(await t.store.history(), [
      { at: "2027-04-12T10:00:00.000Z", track: "nova", room: "Ballroom A", topic: "Quotas" },
      { at: "2027-04-12T13:45:00.000Z", track: "nova", room: "Ballroom A", topic: "Cells" },
      { at: "2027-04-12T13:45:00.000Z", track: "cinder", room: "Cedar", topic: "Backups" },
      { at: "2027-04-12T13:45:00.000Z", track: "cinder", room: "Hallway by the coffee", topic: "Restores" },
    ]);
    // No nick, check-in or subscription anywhere in the record.
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

Deno.test("history: /history.json, /history.html (escaped, safe links) and /TRACK.md", async () => {
  const state = sampleState();
  const entries: HistoryEntry[] = [
    { at: "2027-04-12T09:05:00Z", track: "nova", room: "Ballroom A", topic: "<img src=x onerror=alert(1)>" },
    {
      at: "2027-04-12T10:20:00Z",
      track: "nova",
      room: "Ballroom A",
      topic: 'Quotas https://example.org/spec?a=1&b=2 javascript:alert(1) "quoted"',
    },
    { at: "2027-04-13T09:00:00Z", track: "cinder", room: "<b>Hall</b>", topic: "Backups" },
  ];
  const web = createWebApp({
    state: () => state,
    version: () => 1,
    etherpadBase: CTX.etherpadBase,
    timeZone: "Europe/Paris",
    history: () => Promise.resolve(entries),
  });
  const get = async (path: string) => {
    const res = await web.handler(new Request(`http://localhost${path}`));
    return { res, text: await res.text() };
  };
  const json = await get("/history.json");
  assert.equal(json.res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(JSON.parse(json.text), { eventid: state.eventid, timezone: "Europe/Paris", entries });

  const html = await get("/history.html");
  assert.match(html.res.headers.get("content-security-policy")!, /script-src 'self'/);
  assert.ok(!html.text.includes("<img"));
  assert.ok(html.text.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(html.text.includes("&lt;b&gt;Hall&lt;/b&gt;"));
  assert.ok(html.text.includes('<a href="https://example.org/spec?a=1&amp;b=2"'));
  assert.ok(!/href="javascript/i.test(html.text));
  // Newest day first, local times in the zone, each topic until the next one.
  assert.ok(html.text.indexOf("Tuesday 2027-04-13") < html.text.indexOf("Monday 2027-04-12"));
  assert.match(html.text, /<time datetime="2027-04-12T09:05:00Z">11:05–12:20<\/time>/);
  assert.match(html.text, /<a class="room" href="https:\/\/meet\.example\.org\/ballroom-a"/);
  assert.match(html.text, /<a href="history\.html" aria-current="page">History<\/a>/);
  // Every page of the site links to it.
  assert.match((await get("/ptg.html")).text, /<a href="history\.html">History<\/a>/);

  const md = await get("/nova.md");
  assert.equal(md.res.headers.get("content-type"), "text/markdown; charset=utf-8");
  assert.equal(md.text, trackMarkdown(state, "nova", "Europe/Paris", entries));
  assert.equal(
    md.text,
    [
      `# #nova at ${state.eventid}: summary`,
      "",
      "## Monday 2027-04-12",
      "",
      "### 11:05–12:20 <img src=x onerror=alert(1)> (Ballroom A)",
      "",
      "- ",
      "",
      '### 12:20 Quotas https://example.org/spec?a=1&b=2 javascript:alert(1) "quoted" (Ballroom A)',
      "",
      "- ",
      "",
    ].join("\n"),
  );
  assert.equal((await get("/unknown.md")).res.status, 404);
  assert.equal((await get("/..%2Fnova.md")).res.status, 404);
});

Deno.test("history: a topic's links follow the pages' one rule: http(s) URLs, #track badges of known tracks", () => {
  const state = sampleState();
  const entries: HistoryEntry[] = [
    {
      at: "2027-04-12T09:05:00Z",
      track: "cinder",
      room: "",
      topic: "with #Nova, #nosuch: https://x.example.org/a.",
    },
  ];
  const topic = () => /<span class="topic">(.*)<\/span><\/li>/.exec(historyBody(state, "UTC", entries))![1];
  assert.equal(
    topic(),
    'with <span class="badge t-nova">#nova</span>, #nosuch: ' +
      '<a href="https://x.example.org/a" rel="noopener noreferrer nofollow" target="_blank">https://x.example.org/a</a>.',
  );
  // A record is read long after: a badge links to the track's own URL only, never to a room of the moment.
  state.urls.nova = "https://nova.example.org/";
  assert.match(topic(), /<a class="badge t-nova" href="https:\/\/nova\.example\.org\/" title="Join #nova"/);
});
