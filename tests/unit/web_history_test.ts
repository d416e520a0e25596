/** The history's routes (`lib/web/history.ts`): /history.json, /history.html and /TRACK.md. */
import assert from "node:assert/strict";
import type { HistoryEntry } from "../../lib/state/history.ts";
import { createWebApp } from "../../lib/web/server.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { historyBody, trackMarkdown } from "../../lib/web/history.ts";
import { CTX, sampleState } from "../helpers/fixtures.ts";

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
  const web = createWebApp(snapshots(
    { state, version: 1, history: () => Promise.resolve(entries) },
    { etherpadBase: CTX.etherpadBase, timeZone: "Europe/Paris" },
  ));
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
