/** Validators and codings of a representation. */
import assert from "node:assert/strict";
import { matches, pickCoding, Representation } from "../lib/web/representation.ts";

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

Deno.test("representation: codings by Accept-Encoding, q=0 refused, small bodies left alone", () => {
  assert.equal(pickCoding("gzip, deflate, br", 1000), "br");
  assert.equal(pickCoding("gzip", 1000), "gzip");
  assert.equal(pickCoding("br;q=0, gzip", 1000), "gzip");
  assert.equal(pickCoding("*;q=0", 1000), "identity");
  assert.equal(pickCoding("*", 1000), "br");
  assert.equal(pickCoding("gzip", 100), "identity");
  assert.equal(pickCoding(null, 1000), "identity");
  const rep = new Representation("text/plain", "hello ".repeat(500), "public, max-age=1");
  assert.ok(rep.coded("gzip").length < rep.body.length);
  assert.equal(rep.coded("gzip"), rep.coded("gzip"), "compressed once");
  assert.deepEqual(
    rep.headers("gzip", false).find(([k]) => k === "content-encoding"),
    ["content-encoding", "gzip"],
  );
  assert.equal(rep.headers("gzip", true).find(([k]) => k === "content-encoding"), undefined);
});

Deno.test("representation: every response is a fresh one with the same bytes and headers", async () => {
  const rep = new Representation("application/json", JSON.stringify({ x: "y".repeat(2000) }), "no-cache");
  const first = rep.response("gzip", false);
  first.headers.set("connection", "close");
  const bytes = new Uint8Array(await first.arrayBuffer());
  assert.deepEqual(bytes, new Uint8Array(rep.coded("gzip")));
  // Reading or changing one answer leaves the next untouched.
  const second = rep.response("gzip", false);
  assert.equal(second.status, 200);
  assert.equal(second.headers.get("connection"), null);
  assert.equal(second.headers.get("content-encoding"), "gzip");
  assert.equal(second.headers.get("etag"), rep.etagFor("gzip"));
  assert.deepEqual(new Uint8Array(await second.arrayBuffer()), bytes);
  const notModified = rep.response("identity", true);
  assert.equal(notModified.status, 304);
  assert.equal(notModified.body, null);
  assert.equal(notModified.headers.get("etag"), rep.etag);
});
