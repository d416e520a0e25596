/** Every route, in memory through the handler: status, types, ETag/304, compression, headers, 404s. */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createWebApp, SECURITY_HEADERS } from "../../lib/web/server.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { applyChanges } from "../../lib/state/model.ts";
import { sampleState, webApp as app } from "../helpers/fixtures.ts";

function assertSecurity(res: Response) {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(res.headers.get(k), v, k);
}

Deno.test("web: pages are served with their types and security headers", async () => {
  const a = app();
  for (const path of ["/", "/ptg.html", "/etherpads.html", "/index.html", "/signage.html", "/history.html"]) {
    const res = await a.get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assertSecurity(res);
    const html = await res.text();
    assert.match(html, /<script type="module" src="assets\/\w+\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>(?!<)/, "no inline script");
  }
  for (
    const path of [
      "/assets/ptg.js",
      "/assets/common.js",
      "/assets/ptg.css",
      "/assets/icon.svg",
      "/assets/history.js",
    ]
  ) {
    const res = await a.get(path);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  a.web.close();
});

Deno.test("web: ptg.json is the public state, without subscriptions or follows", async () => {
  const a = app();
  a.state.subscriptions.bob = "secret";
  a.state.follows.secretfan = ["nova"];
  const res = await a.get("/ptg.json");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.match(res.headers.get("cache-control")!, /max-age=2/);
  const doc = await res.json();
  assert.equal(doc.eventid, "TRN-ptg");
  assert.equal(doc.subscriptions, undefined);
  assert.equal(doc.follows, undefined);
  assert.doesNotMatch(JSON.stringify(doc), /secret/);
  a.web.close();
});

Deno.test("web: ETag, If-None-Match 304, a new ETag after a change", async () => {
  const a = app();
  const first = await a.get("/ptg.json");
  const etag = first.headers.get("etag")!;
  assert.match(etag, /^"[0-9a-z]+"$/);
  await first.body?.cancel();
  const again = await a.get("/ptg.json", { "if-none-match": etag });
  assert.equal(again.status, 304);
  assert.equal(again.body, null);
  // Only what updates the stored copy: its type and security headers stay as they were.
  assert.deepEqual([...again.headers.keys()].sort(), ["cache-control", "etag", "vary"]);
  assert.equal(again.headers.get("etag"), etag);
  applyChanges(a.state, [{ op: "set", map: "now", key: "nova", value: "changed" }], "2027-04-12 10:00:01");
  a.bump();
  const changed = await a.get("/ptg.json", { "if-none-match": etag });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get("etag"), etag);
  assert.equal((await changed.json()).now.nova, "changed");
  a.web.close();
});

Deno.test("web: gzip and brotli by Accept-Encoding, each with its own ETag that still validates", async () => {
  const a = app();
  const plain = await (await a.get("/ptg.json")).text();
  const gz = await a.get("/ptg.json", { "accept-encoding": "gzip" });
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  assert.equal(gz.headers.get("vary"), "Accept-Encoding");
  assert.equal(new TextDecoder().decode(gunzipSync(new Uint8Array(await gz.arrayBuffer()))), plain);
  const br = await a.get("/ptg.json", { "accept-encoding": "gzip, deflate, br" });
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(new TextDecoder().decode(brotliDecompressSync(new Uint8Array(await br.arrayBuffer()))), plain);
  assert.notEqual(gz.headers.get("etag"), br.headers.get("etag"));
  const no = await a.get("/ptg.json", { "accept-encoding": "br;q=0, gzip;q=0" });
  assert.equal(no.headers.get("content-encoding"), null);
  await no.body?.cancel();
  const revalidated = await a.get("/ptg.json", {
    "accept-encoding": "br",
    "if-none-match": br.headers.get("etag")!,
  });
  assert.equal(revalidated.status, 304);
  a.web.close();
});

Deno.test("web: 404s, 405s, path tricks", async () => {
  const a = app();
  for (
    const path of [
      "/nope",
      "/ptg.json/",
      "/../ptg.json.bak",
      "/assets/../../main.ts",
      "/assets/%2e%2e/deno.json",
      "/static/ptg.js",
      "/nova%2F.ics",
      "/unknown.ics",
      "/NOVA.ics",
      `/${"a".repeat(5000)}`,
    ]
  ) {
    const res = await a.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assertSecurity(res);
    await res.body?.cancel();
  }
  const post = await a.get("/ptg.json", {}, "POST");
  assert.equal(post.status, 405);
  await post.body?.cancel();
  const head = await a.get("/ptg.json", {}, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
  a.web.close();
});

Deno.test("web: healthz and calendars", async () => {
  const a = app();
  assert.deepEqual(await (await a.get("/healthz")).json(), { ok: true, version: 1 });
  for (const path of ["/ptg.ics", "/nova.ics"]) {
    const res = await a.get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
    assert.match(await res.text(), /^BEGIN:VCALENDAR/);
  }
  a.web.close();
});

Deno.test("web: /events streams the version and every change", async () => {
  const a = app();
  const res = await a.get("/events");
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assertSecurity(res);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let seen = (await reader.read()).value!;
  assert.match(seen, /event: version\ndata: 1\n\n/);
  a.bump();
  seen = (await reader.read()).value!;
  assert.equal(seen, "event: version\ndata: 2\n\n");
  assert.equal(a.web.events.size, 1);
  a.web.close();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
  }
  assert.match(rest, /event: reconnect/);
});

Deno.test("web: a full hub answers 503 instead of holding more streams", async () => {
  const state = sampleState();
  const web = createWebApp(snapshots({ state, version: 1 }, { etherpadBase: "", timeZone: "UTC" }), {
    maxStreams: 2,
  });
  const open = await Promise.all([0, 1].map(() => web.handler(new Request("http://localhost/events"))));
  const third = await web.handler(new Request("http://localhost/events"));
  assert.equal(third.status, 503);
  await third.body?.cancel();
  web.close();
  for (const r of open) await r.body?.cancel();
});

Deno.test("web: while draining, every answer says Connection: close and live streams end with a reconnect hint", async () => {
  const a = app();
  const live = await a.get("/events");
  const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
  await reader.read();
  const etag = (await a.get("/ptg.json")).headers.get("etag")!;
  const earlier304 = await a.get("/ptg.json", { "if-none-match": etag });
  const drained = a.web.drain(100, 2000);
  const asked: [string, Record<string, string>, number][] = [
    ["/ptg.json", {}, 200],
    ["/ptg.json", { "if-none-match": etag }, 304],
    ["/nova.ics", {}, 200],
    ["/nope", {}, 404],
  ];
  for (const [path, headers, status] of asked) {
    const res = await a.get(path, headers);
    assert.equal(res.status, status, path);
    assert.equal(res.headers.get("connection"), "close", path);
    await res.body?.cancel();
  }
  // The 304 answered before the drain (one object serves every 304) did not change.
  assert.equal(earlier304.headers.get("connection"), null);
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
  }
  assert.match(rest, /event: reconnect\n/);
  await drained;
});
