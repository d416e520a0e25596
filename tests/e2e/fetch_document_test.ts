/** `~fetchdb` against a real local HTTP server: good documents load, every bad one is refused and changes nothing. */
import assert from "node:assert/strict";
import { fetchDocument } from "../../lib/fetch/fetch_document.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { Runner } from "../../lib/app/runner.ts";
import { CTX, kvDriver, OP, sampleState, texts } from "../helpers/fixtures.ts";
import { testCertificate } from "../helpers/tls.ts";
import { measure } from "../helpers/download_memory.ts";
import { serveHostile, writeAll } from "../helpers/hostile_http.ts";
import { LIMITS } from "../../lib/state/limits.ts";
import { OPEN_RESOURCES } from "../helpers/e2e.ts";

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
const port = new URL(url).port;
/** The fixture is on loopback, as a private pastebin would be: allowed by config, as `fetch_allow` does. */
const ALLOW = ["127.0.0.1"];
routes["/to-private"] = () =>
  new Response(null, { status: 302, headers: { location: `http://127.0.0.2:${port}/good.json` } });

// A second server that only counts: a refused download must not reach it at all.
let reached = 0;
const counting = serve(() => {
  reached++;
  return new Response(GOOD, { headers: { "content-type": "application/json" } });
});
const countingPort = new URL(counting.url).port;

Deno.test({
  name: "fetchdb: loads a document, adds scheduled tracks, gives colours, ignores unknown keys",
  ...OPEN_RESOURCES,
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
  ["/html", /^not JSON or CSV \(content type refused\)$/],
  ["/to-file", /^the redirect target is not an http\(s\) URL$/],
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
    ...OPEN_RESOURCES,
    fn: async () => {
      const d = await kvDriver();
      try {
        const before = stateToJson(d.state(), true);
        const [reply] = texts(await d.run(OP, `~fetchdb ${url}${path}`))!;
        assert.match(reply, /^~fetchdb .* refused: .*; nothing changed$/);
        const why = reply.replace(/^~fetchdb \S+ refused: /, "").replace(/; nothing changed$/, "");
        assert.match(why, reason);
        // What was read is never repeated.
        assert.ok(!/AKIA|wJalr|html|passwd/.test(reply.replace(`${url}${path}`, "")), reply);
        assert.equal(stateToJson(d.state(), true), before);
      } finally {
        await d.close();
      }
    },
  });
}

Deno.test({
  name: "fetchdb: a slow server hits the time limit",
  ...OPEN_RESOURCES,
  fn: async () => {
    const t0 = performance.now();
    const res = await fetchDocument(`${url}/slow`, { timeoutMs: 300, allow: ALLOW });
    assert.deepEqual(res, { ok: false, error: "no complete answer within 0.3 s" });
    assert.ok(performance.now() - t0 < 3000);
  },
});

Deno.test({
  name: "fetchdb: follows a redirect to http(s)",
  ...OPEN_RESOURCES,
  fn: async () => {
    const res = await fetchDocument(`${url}/redirect-good`, { allow: ALLOW });
    assert.ok(res.ok);
  },
});

Deno.test({
  name: "fetchdb: other commands go on while a download is slow",
  ...OPEN_RESOURCES,
  fn: async () => {
    const store = await KvStore.open();
    await store.replace(sampleState());
    const runner = new Runner(store, CTX, (u) => fetchDocument(u, { timeoutMs: 1500, allow: ALLOW }));
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

Deno.test({
  name: "fetchdb: loopback in every spelling is refused before any connection; the allow-list opens one host",
  ...OPEN_RESOURCES,
  fn: async () => {
    reached = 0;
    for (
      const host of [
        "127.0.0.1",
        "localhost",
        "2130706433",
        "127.1",
        "0x7f.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::1]",
      ]
    ) {
      const res = await fetchDocument(`http://${host}:${countingPort}/doc.json`);
      assert.ok(!res.ok && /is a loopback address; only public addresses are fetched$/.test(res.error), host);
    }
    // A name whose DNS answer is private is refused the same way, the connection never made.
    const evil = await fetchDocument(`http://evil.example:${countingPort}/doc.json`, {
      resolve: (host) => Promise.resolve(host === "evil.example" ? ["93.184.216.34", "127.0.0.1"] : []),
    });
    assert.deepEqual(evil, {
      ok: false,
      error: "evil.example is a loopback address; only public addresses are fetched",
    });
    const metadata = await fetchDocument("http://169.254.169.254/latest/meta-data/");
    assert.deepEqual(metadata, {
      ok: false,
      error: "169.254.169.254 is a link-local address; only public addresses are fetched",
    });
    const unknown = await fetchDocument("http://nowhere.example/", { resolve: () => Promise.resolve([]) });
    assert.deepEqual(unknown, { ok: false, error: "cannot resolve nowhere.example" });
    assert.equal(reached, 0, "a refused download reached the server");
    // Allowed by config: the same server answers.
    assert.ok((await fetchDocument(`http://127.0.0.1:${countingPort}/doc.json`, { allow: ALLOW })).ok);
    assert.equal(reached, 1);
  },
});

Deno.test({
  name: "fetchdb: a redirect from an allowed host to a private address is refused at that hop",
  ...OPEN_RESOURCES,
  fn: async () => {
    const res = await fetchDocument(`${url}/to-private`, { allow: ALLOW });
    assert.deepEqual(res, {
      ok: false,
      error: "127.0.0.2 is a loopback address; only public addresses are fetched",
    });
  },
});

Deno.test({
  name: "fetchdb: https goes to the checked address and still verifies the certificate for the URL's host",
  ...OPEN_RESOURCES,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-fetch-tls-" });
    const caFile = (await testCertificate(dir, true))!;
    const tls = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      cert: await Deno.readTextFile(`${dir}/cert.pem`),
      key: await Deno.readTextFile(`${dir}/key.pem`),
      onListen: () => {},
    }, () => new Response(GOOD, { headers: { "content-type": "application/json" } }));
    try {
      const caCerts = [await Deno.readTextFile(caFile)];
      const at = `localhost:${tls.addr.port}/good.json`;
      const ok = await fetchDocument(`https://${at}`, { allow: ["localhost"], caCerts });
      assert.ok(ok.ok, ok.ok ? "" : ok.error);
      // Without the test CA the certificate is not trusted: refused, not ignored.
      const untrusted = await fetchDocument(`https://${at}`, { allow: ["localhost"] });
      assert.ok(!untrusted.ok && /^download failed/.test(untrusted.error), JSON.stringify(untrusted));
      // A name the certificate does not carry, pinned to the same address, fails verification.
      const wrongName = await fetchDocument(`https://pad.example:${tls.addr.port}/good.json`, {
        allow: ["pad.example"],
        caCerts,
        resolve: () => Promise.resolve(["127.0.0.1"]),
      });
      assert.ok(!wrongName.ok && /^download failed/.test(wrongName.error), JSON.stringify(wrongName));
    } finally {
      await tls.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const bytes = (text: string) => new TextEncoder().encode(text);
/** A valid document of about `size` bytes (its padding an ignored key). */
const paddedDoc = (size: number) => JSON.stringify({ eventid: "PAD-ptg", pad: "x".repeat(size) });
const CHUNKED_HEAD =
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
/** Small limit for the framing tests: each document below fits it, and each framing does not. */
const LIMIT = 64 * 1024;

/** Fetches `base/doc.json` with the tests' byte limit and expects the one refusal for too many bytes. */
async function refusedAsTooLarge(base: string): Promise<void> {
  const res = await fetchDocument(`${base}/doc.json`, { allow: ALLOW, maxBytes: LIMIT });
  assert.deepEqual(res, { ok: false, error: `document larger than ${LIMIT} bytes` });
}

function* oneByteChunks(doc: string, extension = "") {
  yield CHUNKED_HEAD;
  for (const ch of doc) yield `1${extension}\r\n${ch}\r\n`;
  yield "0\r\n\r\n";
}

Deno.test({
  name: "fetchdb: chunk sizes count against the byte limit (a document in 1-byte chunks)",
  ...OPEN_RESOURCES,
  fn: async () => {
    const doc = paddedDoc(30_000); // fits the limit; its 1-byte chunks take six times as much
    const server = serveHostile((_path, conn) => writeAll(conn, oneByteChunks(doc)));
    try {
      await refusedAsTooLarge(server.url);
      // The same document in one chunk loads.
      const plain = serveHostile((_path, conn) =>
        writeAll(conn, [CHUNKED_HEAD, `${doc.length.toString(16)}\r\n${doc}\r\n0\r\n\r\n`])
      );
      const ok = await fetchDocument(`${plain.url}/doc.json`, { allow: ALLOW, maxBytes: LIMIT });
      plain.close();
      assert.ok(ok.ok && ok.doc.eventid === "PAD-ptg", JSON.stringify(ok).slice(0, 200));
    } finally {
      server.close();
    }
  },
});

Deno.test({
  name: "fetchdb: chunk extensions count against the byte limit",
  ...OPEN_RESOURCES,
  fn: async () => {
    const doc = paddedDoc(100); // 130 bytes, each chunk carrying a 1000-byte extension
    const server = serveHostile((_path, conn) =>
      writeAll(conn, oneByteChunks(doc, `;pad=${"e".repeat(1000)}`))
    );
    try {
      await refusedAsTooLarge(server.url);
    } finally {
      server.close();
    }
  },
});

Deno.test({
  name: "fetchdb: trailers are read and count against the byte limit; short ones are fine",
  ...OPEN_RESOURCES,
  fn: async () => {
    const doc = paddedDoc(100);
    const body = `${doc.length.toString(16)}\r\n${doc}\r\n0\r\n`;
    const long = serveHostile((_path, conn) =>
      writeAll(conn, [CHUNKED_HEAD, body, ...Array(100).fill(`X-Pad: ${"t".repeat(1000)}\r\n`), "\r\n"])
    );
    const short = serveHostile((_path, conn) =>
      writeAll(conn, [CHUNKED_HEAD, body, "X-Checksum: 1\r\n\r\n"])
    );
    try {
      await refusedAsTooLarge(long.url);
      const ok = await fetchDocument(`${short.url}/doc.json`, { allow: ALLOW, maxBytes: LIMIT });
      assert.ok(ok.ok, JSON.stringify(ok).slice(0, 200));
    } finally {
      long.close();
      short.close();
    }
  },
});

Deno.test({
  name: "fetchdb: headers count against the byte limit",
  ...OPEN_RESOURCES,
  fn: async () => {
    const doc = paddedDoc(40_000);
    const headers = Array(30).fill(`X-Pad: ${"h".repeat(1000)}\r\n`).join("");
    const server = serveHostile((_path, conn) =>
      writeAll(conn, [
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${doc.length}\r\n${headers}\r\n`,
        doc,
      ])
    );
    try {
      await refusedAsTooLarge(server.url);
    } finally {
      server.close();
    }
  },
});

Deno.test({
  name: "fetchdb: a host that never completes the connection (full backlog) is given up at the deadline",
  ...OPEN_RESOURCES,
  fn: async () => {
    // A listener that never accepts: once its small queue is full, the kernel drops further SYNs.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0, tcpBacklog: 1 });
    const port = listener.addr.port;
    const queued: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 64; i++) {
        const probe = AbortSignal.timeout(200);
        const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal: probe }).catch(() =>
          undefined
        );
        if (!conn) break;
        queued.push(conn);
      }
      assert.ok(queued.length < 64, "the backlog never filled");
      const t0 = performance.now();
      const res = await fetchDocument(`http://127.0.0.1:${port}/doc.json`, { timeoutMs: 300, allow: ALLOW });
      assert.deepEqual(res, { ok: false, error: "no complete answer within 0.3 s" });
      assert.ok(performance.now() - t0 < 3000);
    } finally {
      for (const conn of queued) conn.close();
      listener.close();
    }
  },
});

Deno.test({
  name: "fetchdb: a resolver that never answers is given up at the deadline, and told to stop",
  ...OPEN_RESOURCES,
  fn: async () => {
    let asked: AbortSignal | undefined;
    const t0 = performance.now();
    const res = await fetchDocument("http://never.example/doc.json", {
      timeoutMs: 300,
      resolve: (_host, signal) => {
        asked = signal;
        return new Promise(() => {});
      },
    });
    assert.deepEqual(res, { ok: false, error: "no complete answer within 0.3 s" });
    assert.ok(performance.now() - t0 < 3000);
    assert.ok(asked?.aborted, "the resolver was not told to stop");
  },
});

Deno.test({
  name: "fetchdb: a server that never starts TLS is given up at the deadline",
  ...OPEN_RESOURCES,
  fn: async () => {
    const silent = serveHostile(() => new Promise((resolve) => setTimeout(resolve, 5000)));
    try {
      const t0 = performance.now();
      const res = await fetchDocument(`https://localhost:${new URL(silent.url).port}/doc.json`, {
        timeoutMs: 300,
        allow: ["localhost"],
      });
      assert.deepEqual(res, { ok: false, error: "no complete answer within 0.3 s" });
      assert.ok(performance.now() - t0 < 3000);
    } finally {
      silent.close();
    }
  },
});

Deno.test({
  name: "fetchdb: a refusal repeats no server text: content type, invalid Location, formatting codes",
  ...OPEN_RESOURCES,
  fn: async () => {
    const answers: Record<string, string> = {
      type: "HTTP/1.1 200 OK\r\nContent-Type: text/\x02evil\x03 4red\r\nContent-Length: 2\r\n\r\n{}",
      location: "HTTP/1.1 302 Found\r\nLocation: http://[\x02evil\r\nContent-Length: 0\r\n\r\n",
    };
    const expected: Record<string, string> = {
      type: "not JSON or CSV (content type refused)",
      location: "the redirect target is not a valid URL",
    };
    for (const [what, answer] of Object.entries(answers)) {
      const server = serveHostile((_path, conn) => writeAll(conn, [answer]));
      try {
        const d = await kvDriver();
        try {
          const [reply] = texts(await d.run(OP, `~fetchdb ${server.url}/${what}.json`))!;
          assert.equal(
            reply,
            `~fetchdb ${server.url}/${what}.json refused: ${expected[what]}; nothing changed`,
          );
        } finally {
          await d.close();
        }
      } finally {
        server.close();
      }
    }
  },
});

Deno.test({
  name: "fetchdb: formatting codes in a document never reach a reply",
  ...OPEN_RESOURCES,
  fn: async () => {
    const docs: Record<string, string> = {
      ignored: JSON.stringify({ eventid: "X-ptg", "\u0002bold\u0003 4red": 1 }),
      error: JSON.stringify({ urls: { "\u0002nova\u000f": "javascript:alert(1)" } }),
    };
    for (const [what, doc] of Object.entries(docs)) {
      const server = serveHostile((_path, conn) =>
        writeAll(conn, [
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${
            bytes(doc).length
          }\r\n\r\n${doc}`,
        ])
      );
      try {
        const res = await fetchDocument(`${server.url}/${what}.json`, { allow: ALLOW });
        const said = res.ok ? res.ignored.join(" ") : [res.error, ...(res.lines ?? [])].join(" ");
        assert.match(said, what === "ignored" ? /bold 4red/ : /nova/, said);
        // deno-lint-ignore no-control-regex
        assert.ok(!/[\x00-\x1f\x7f]/.test(said), JSON.stringify(said));
      } finally {
        server.close();
      }
    }
  },
});

Deno.test({
  name: "fetchdb: 1-byte chunks raise the bot's peak memory by no more than a few MiB past the limit",
  ...OPEN_RESOURCES,
  fn: async () => {
    // A child process with the launch settings downloads; see bench/README.md for the figures.
    const server = serveHostile();
    const bound = LIMITS.documentBytes / 2 ** 20 + 6;
    try {
      for (const path of ["/one-byte-chunks.json", "/one-byte-chunks-within.json"]) {
        const m = await measure(`${server.url}${path}`);
        const rise = (m.peakKiB - m.baseKiB) / 1024;
        assert.ok(
          rise < bound,
          `${path}: peak rose ${rise.toFixed(1)} MiB (bound ${bound} MiB); ${m.result}`,
        );
      }
    } finally {
      server.close();
    }
  },
});

globalThis.addEventListener("unload", () => {
  server.shutdown();
  counting.server.shutdown();
});
