/** Byte chunks joined: order kept, a new buffer, views of a larger buffer taken as views. */
import assert from "node:assert/strict";
import { joinBytes } from "../../lib/util/bytes.ts";

Deno.test("bytes: joins chunks in order into a new buffer", () => {
  const a = new Uint8Array([1, 2]);
  const b = new Uint8Array([]);
  const c = new Uint8Array([3, 4, 5]);
  const joined = joinBytes([a, b, c]);
  assert.deepEqual([...joined], [1, 2, 3, 4, 5]);
  assert.equal(joined.buffer.byteLength, 5);
  joined[0] = 9;
  assert.equal(a[0], 1, "the chunks are copied, not shared");
  assert.equal(joinBytes([]).length, 0);
  const one = joinBytes([c]);
  assert.deepEqual([...one], [3, 4, 5]);
  assert.notEqual(one.buffer, c.buffer);
});

Deno.test("bytes: a chunk that is a view of a larger buffer contributes only its own bytes", () => {
  const big = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const joined = joinBytes([big.subarray(6), big.subarray(1, 3)]);
  assert.deepEqual([...joined], [6, 7, 1, 2]);
  const text = new TextEncoder().encode("pièce à pièce");
  // Split inside a multi-byte character: joined, it decodes whole.
  const parts = [text.subarray(0, 3), text.subarray(3, 9), text.subarray(9)];
  assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(joinBytes(parts)), "pièce à pièce");
});
