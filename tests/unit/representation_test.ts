/** Validators and codings of a representation. */
import assert from "node:assert/strict";
import { compress, matches, pickCoding, Representation } from "../../lib/web/representation.ts";

Deno.test("representation: If-None-Match matches the tag in any coding, lists, weak tags and *; nothing else", () => {
  const rep = new Representation("text/plain", "x".repeat(1000));
  const t = rep.etag;
  const base = t.slice(0, -1);
  for (const yes of [t, `${base}-br"`, `${base}-gzip"`, `W/${t}`, `"zzz", ${t}`, "*"]) {
    assert.ok(matches(yes, t), yes);
  }
  for (const no of [`${base}x"`, `${base}-deflate`, '"other"', "", `${base}`, `W/"zzz"`]) {
    assert.ok(!matches(no, t), no);
  }
  assert.equal(matches(null, t), false);
});

Deno.test("representation: codings by Accept-Encoding, q=0 refused, small bodies left alone", async () => {
  assert.equal(pickCoding("gzip, deflate, br", 1000), "br");
  assert.equal(pickCoding("gzip", 1000), "gzip");
  assert.equal(pickCoding("br;q=0, gzip", 1000), "gzip");
  assert.equal(pickCoding("*;q=0", 1000), "identity");
  assert.equal(pickCoding("*", 1000), "br");
  assert.equal(pickCoding("gzip", 100), "identity");
  assert.equal(pickCoding(null, 1000), "identity");
  const rep = new Representation("text/plain", "hello ".repeat(500), "public, max-age=1");
  // Requests during the first compression share it; afterwards the bytes come at once.
  const pending = rep.coded("gzip");
  assert.ok(pending instanceof Promise);
  assert.equal(rep.coded("gzip"), pending, "compressed once");
  const gz = await pending;
  assert.ok(gz.length < rep.body.length);
  assert.equal(rep.coded("gzip"), gz);
  assert.deepEqual(
    rep.headers("gzip", false).find(([k]) => k === "content-encoding"),
    ["content-encoding", "gzip"],
  );
  assert.equal(rep.headers("gzip", true).find(([k]) => k === "content-encoding"), undefined);
});

Deno.test("representation: every 200 is a fresh response with the same bytes and headers; 304s share one", async () => {
  const rep = new Representation("application/json", JSON.stringify({ x: "y".repeat(2000) }), "no-cache");
  const first = await rep.response("gzip", false);
  first.headers.set("connection", "close");
  const bytes = new Uint8Array(await first.arrayBuffer());
  assert.deepEqual(bytes, new Uint8Array(await rep.coded("gzip")));
  // Reading or changing one answer leaves the next untouched; it comes at once now.
  const second = rep.response("gzip", false);
  assert.ok(second instanceof Response);
  assert.equal(second.status, 200);
  assert.equal(second.headers.get("connection"), null);
  assert.equal(second.headers.get("content-encoding"), "gzip");
  assert.equal(second.headers.get("etag"), rep.etagFor("gzip"));
  assert.deepEqual(new Uint8Array(await second.arrayBuffer()), bytes);
  const notModified = rep.response("identity", true);
  assert.ok(notModified instanceof Response);
  assert.equal(notModified.status, 304);
  assert.equal(rep.response("identity", true), notModified, "one object answers every 304");
  assert.equal(notModified.body, null);
  assert.equal(notModified.headers.get("etag"), rep.etag);
});

Deno.test("representation: brotli and gzip bodies decompress to the original, by the runtime's own streams", async () => {
  const text = JSON.stringify(
    Array.from({ length: 500 }, (_, i) => ({ track: `t${i}`, topic: "ü ".repeat(i % 7) })),
  );
  const rep = new Representation("application/json", text);
  for (const [coding, format] of [["br", "brotli"], ["gzip", "gzip"]] as const) {
    const answers = await Promise.all([rep.response(coding, false), rep.response(coding, false)]);
    for (const res of answers) {
      assert.equal(res.headers.get("content-encoding"), coding);
      const plain = res.body!.pipeThrough(new DecompressionStream(format));
      assert.equal(await new Response(plain).text(), text);
    }
    assert.ok((await rep.coded(coding)).length < rep.body.length / 4, coding);
  }
});

Deno.test("representation: should compressing fail, the plain body answers, and the next request tries again", async () => {
  let calls = 0;
  const flaky = async (bytes: Uint8Array, coding: "br" | "gzip") => {
    if (++calls === 1) throw new Error("compressor broke");
    return await compress(bytes, coding);
  };
  const rep = new Representation("text/plain", "plain text ".repeat(200), "no-cache", flaky);
  const fallback = await rep.response("gzip", false);
  assert.equal(fallback.status, 200);
  assert.equal(fallback.headers.get("content-encoding"), null);
  assert.equal(fallback.headers.get("etag"), rep.etag);
  assert.equal(await fallback.text(), "plain text ".repeat(200));
  const retried = await rep.response("gzip", false);
  assert.equal(retried.headers.get("content-encoding"), "gzip");
  assert.equal(retried.headers.get("etag"), rep.etagFor("gzip"));
  assert.equal(calls, 2);
});
