/** The `~fetchdb` body reader's parts, without a network: chunk decoding, the bounded body buffer, the deadline. */
import assert from "node:assert/strict";
import { beforeDeadline, BodyBuffer, ChunkedDecoder, TooLarge } from "../../lib/fetch/pinned_http.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Decodes `wire` pushed in pieces of `size` bytes, through one reused read buffer as the reader does. */
function decode(wire: string, size: number, max = 1 << 20): { body: string; done: boolean; rest: number } {
  const body = new BodyBuffer(max);
  const decoder = new ChunkedDecoder(body);
  const all = bytes(wire);
  const readBuffer = new Uint8Array(size);
  let rest = 0;
  for (let at = 0; at < all.length; at += size) {
    const piece = all.subarray(at, at + size);
    readBuffer.set(piece);
    const used = decoder.push(readBuffer.subarray(0, piece.length));
    rest += piece.length - used;
    // The next read overwrites the buffer: whatever the decoder kept of it would change.
    readBuffer.fill(0x21);
  }
  return { body: text(body.bytes()), done: decoder.done, rest };
}

const WIRE =
  "5\r\nhello\r\n1;name=value;x\r\n \r\n6 ; ext\r\nworld!\r\n0\r\nX-Sum: 1\r\nX-More: 2\r\n\r\nEXTRA";

Deno.test("chunked: decodes the same body whatever the pieces, and stops at the end of the message", () => {
  for (const size of [1, 2, 3, 7, 16, 1000]) {
    const { body, done, rest } = decode(WIRE, size);
    assert.equal(body, "hello world!", `pieces of ${size}`);
    assert.ok(done, `pieces of ${size}`);
    assert.equal(rest, "EXTRA".length, `pieces of ${size}`);
  }
});

Deno.test("chunked: the body is copied out of the read buffer, never kept as a view of it", () => {
  // decode() overwrites its one read buffer after every piece; views into it would read "!!!".
  assert.equal(decode(WIRE, 4).body, "hello world!");
  const body = new BodyBuffer(100);
  const read = bytes("3\r\nabc\r\n0\r\n\r\n");
  const decoder = new ChunkedDecoder(body);
  decoder.push(read);
  read.fill(0);
  assert.equal(text(body.bytes()), "abc");
  assert.notEqual(body.bytes().buffer, read.buffer);
});

Deno.test("chunked: broken framing is refused, not guessed", () => {
  for (
    const wire of [
      "x\r\n",
      "\r\n",
      "5\r\nhelloXX",
      "5\nhello\r\n",
      "123456789\r\n", // more size digits than any limit
      "1;ext\nx",
      "0\r\nX-Sum: 1\rX",
    ]
  ) {
    assert.throws(() => decode(wire, 3), /broken chunked body/, JSON.stringify(wire));
  }
  // Not finished is not broken: the reader waits for more.
  assert.deepEqual(decode("5\r\nhel", 2), { body: "hel", done: false, rest: 0 });
});

Deno.test("body buffer: grows by doubling up to the limit, never past it, and refuses one byte more", () => {
  const body = new BodyBuffer(100_000);
  const piece = new Uint8Array(10_000).fill(7);
  for (let i = 0; i < 10; i++) body.append(piece);
  assert.equal(body.length, 100_000);
  assert.equal(body.capacity, 100_000);
  assert.throws(() => body.append(new Uint8Array(1)), TooLarge);
  // A declared length is allocated once; it can never raise the allocation past the limit.
  assert.equal(new BodyBuffer(1 << 20, 300_000).capacity, 300_000);
  assert.equal(new BodyBuffer(1 << 20, 1 << 30).capacity, 1 << 20);
});

Deno.test("deadline: a step that never ends is given up when the signal aborts; a late result is discarded", async () => {
  const deadline = new AbortController();
  const reason = new Error("deadline");
  let finish!: (v: string) => void;
  const discarded: string[] = [];
  const waiting = beforeDeadline(
    new Promise<string>((r) => (finish = r)),
    deadline.signal,
    (v) => discarded.push(v),
  );
  deadline.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  finish("late connection");
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(discarded, ["late connection"]);
  // In time, the result is passed on; a signal aborted already refuses at once.
  assert.equal(await beforeDeadline(Promise.resolve(1), new AbortController().signal), 1);
  await assert.rejects(beforeDeadline(new Promise(() => {}), deadline.signal), (e) => e === reason);
});
