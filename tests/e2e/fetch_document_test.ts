/** `~fetchdb` against a real local HTTP server: good documents load, every bad one is refused and changes nothing. */
import assert from "node:assert/strict";
import { fetchDocument } from "../../lib/app/fetch_document.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { KvStore } from "../../lib/storage/kv_store.ts";
import { Runner } from "../../lib/app/runner.ts";
import { CTX, kvDriver, OP, sampleState, texts } from "../helpers/fixtures.ts";

const GOOD = JSON.stringify({
  eventid: "NEW-ptg",
  schedule: { Hall: { MonA1: "octavia", MonA2: "", url: "https://meet.example.org/hall" } },
  motd: [{ level: "success", message: "Loaded" }],
  extra_key: 1,
});

function serve(handler: (req: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, server };
}

const routes: Record<string, (req: Request) => Response | Promise<Response>> = {
  "/good.json": () => new Response(GOOD, { headers: { "content-type": "application/json" } }),
  "/plain.json": () => new Response(GOOD, { headers: { "content-type": "text/plain; charset=utf-8" } }),
  "/html": () => new Response("<html></html>", { headers: { "content-type": "text/html" } }),
  "/to-file": () => new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } }),
  "/loop": () => new Response(null, { status: 302, headers: { location: "/loop" } }),
  "/redirect-good": () => new Response(null, { status: 301, headers: { location: "/good.json" } }),
  "/missing": () => new Response("no", { status: 404 }),
  "/huge": () => {
    // An endless body: the size limit must stop reading it.
    const chunk = new TextEncoder().encode(" ".repeat(65536));
    return new Response(new ReadableStream({ pull: (c) => c.enqueue(chunk) }), {
      headers: { "content-type": "application/json" },
    });
  },
  "/slow": () =>
    new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("{")) }), {
      headers: { "content-type": "application/json" },
    }),
  "/wrong-shape": () => Response.json({ tracks: "nova", voice: 7 }),
  "/bad-url": () => Response.json({ urls: { nova: "javascript:alert(1)" } }),
  "/nested": () =>
    new Response("[".repeat(200000) + "]".repeat(200000), {
      headers: { "content-type": "application/json" },
    }),
  "/not-json": () => new Response("{nope", { headers: { "content-type": "application/json" } }),
  "/latin1": () =>
    new Response(new Uint8Array([0x7b, 0xff, 0x7d]), { headers: { "content-type": "application/json" } }),
  "/array": () => Response.json([1, 2]),
  "/secret": () =>
    new Response("AKIAIOSFODNN7EXAMPLE\nsecret=wJalrXUtnFEMI", { headers: { "content-type": "text/plain" } }),
  "/secret-late": () =>
    new Response('{"eventid": "x", AKIAIOSFODNN7EXAMPLE}', {
      headers: { "content-type": "application/json" },
    }),
};

const { url, server } = serve((req) => (routes[new URL(req.url).pathname] ?? routes["/missing"])(req));

Deno.test({
  name: "fetchdb: loads a document, adds scheduled tracks, gives colours, ignores unknown keys",
  sanitizeResources: false,
  fn: async () => {
    const d = await kvDriver();
    try {
      assert.deepEqual(texts(await d.run(OP, `~fetchdb ${url}/good.json`)), [
        `Loaded eventid, schedule, motd from ${url}/good.json; ignored: extra_key`,
      ]);
      const s = d.state();
      assert.equal(s.eventid, "NEW-ptg");
      assert.ok(s.tracks.includes("octavia") && s.tracks.includes("nova"));
      assert.ok(s.colors.octavia);
      assert.deepEqual(Object.keys(s.schedule), ["Hall"]);
      assert.equal(s.motd[0].message, "Loaded");
    } finally {
      await d.close();
    }
  },
});

const refusals: [string, RegExp][] = [
  ["/html", /content type text\/html is not JSON/],
  ["/to-file", /not an http\(s\) URL: file:\/\/\/etc\/passwd/],
  ["/loop", /too many redirects/],
  ["/missing", /HTTP 404/],
  ["/huge", /document larger than 2097152 bytes/],
  ["/wrong-shape", /^voice: |^tracks: /],
  ["/bad-url", /urls\.nova: not an http\(s\) URL/],
  ["/nested", /not JSON|the document is not a JSON object/],
  ["/not-json", /not JSON/],
  ["/latin1", /not UTF-8/],
  ["/array", /not a JSON object/],
  ["/secret", /^not JSON$/],
  ["/secret-late", /^not JSON \(at byte 17\)$/],
];

for (const [path, reason] of refusals) {
  Deno.test({
    name: `fetchdb: refuses ${path} and changes nothing`,
    sanitizeResources: false,
    fn: async () => {
      const d = await kvDriver();
      try {
        const before = stateToJson(d.state(), true);
        const [reply] = texts(await d.run(OP, `~fetchdb ${url}${path}`))!;
        assert.match(reply, /^~fetchdb .* refused: .*; nothing changed$/);
        const why = reply.replace(/^~fetchdb \S+ refused: /, "").replace(/; nothing changed$/, "");
        assert.match(why, reason);
        // What was read is never repeated.
        assert.ok(!/AKIA|wJalr/.test(reply), reply);
        assert.equal(stateToJson(d.state(), true), before);
      } finally {
        await d.close();
      }
    },
  });
}

Deno.test({
  name: "fetchdb: a slow server hits the time limit",
  sanitizeResources: false,
  fn: async () => {
    const t0 = performance.now();
    const res = await fetchDocument(`${url}/slow`, { timeoutMs: 300 });
    assert.deepEqual(res, { ok: false, error: "no complete answer within 0.3 s" });
    assert.ok(performance.now() - t0 < 3000);
  },
});

Deno.test({
  name: "fetchdb: follows a redirect to http(s)",
  sanitizeResources: false,
  fn: async () => {
    const res = await fetchDocument(`${url}/redirect-good`);
    assert.ok(res.ok);
  },
});

Deno.test({
  name: "fetchdb: other commands go on while a download is slow",
  sanitizeResources: false,
  fn: async () => {
    const store = await KvStore.open();
    await store.replace(sampleState());
    const runner = new Runner(store, CTX, (u) => fetchDocument(u, { timeoutMs: 1500 }));
    const slow = runner.run(OP, `~fetchdb ${url}/slow`);
    const t0 = performance.now();
    assert.ok(texts(await runner.run(OP, "~list"))?.[0].startsWith("Tracks:"));
    assert.ok(performance.now() - t0 < 1000, "~list waited for the download");
    assert.deepEqual(texts(await slow), [
      `~fetchdb ${url}/slow refused: no complete answer within 1.5 s; nothing changed`,
    ]);
    await store.close();
  },
});

globalThis.addEventListener("unload", () => server.shutdown());
