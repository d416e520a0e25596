/**
 * Hostile HTTP answers on loopback for `~fetchdb`: a raw TCP server that
 * writes whatever wire text a test gives it, and the answers the memory
 * measurements use. Shared by `tests/e2e/fetch_document_test.ts` and
 * `bench/fetch_memory.ts`.
 *
 * @module
 */
import { LIMITS } from "../../lib/state/limits.ts";

const encoder = new TextEncoder();

/** A valid document of `size` bytes (its padding an ignored key). */
export function paddedDocument(size: number): string {
  const empty = JSON.stringify({ eventid: "PAD-ptg", pad: "" });
  return JSON.stringify({ eventid: "PAD-ptg", pad: "x".repeat(Math.max(0, size - empty.length)) });
}

/** The hostile answers, by path: each a generator of wire text. */
export const ANSWERS: Record<string, () => Iterable<string>> = {
  // The warm-up, and the floor: what any download costs.
  "/small.json": function* () {
    const doc = paddedDocument(100);
    yield `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${doc.length}\r\n\r\n${doc}`;
  },
  // The case: a 1.9 MB document (fits the limit) as 1-byte chunks, 11 MB on the wire.
  "/one-byte-chunks.json": function* () {
    yield "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const ch of paddedDocument(1_900_000)) yield `1\r\n${ch}\r\n`;
    yield "0\r\n\r\n";
  },
  // As many 1-byte chunks as fit the limit on the wire, so the whole answer is read.
  "/one-byte-chunks-within.json": function* () {
    yield "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const ch of paddedDocument(Math.floor(LIMITS.documentBytes / 6) - 200)) yield `1\r\n${ch}\r\n`;
    yield "0\r\n\r\n";
  },
  // The largest document allowed, in one piece.
  "/largest.json": function* () {
    const head = (n: number) =>
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${n}\r\n\r\n`;
    const doc = paddedDocument(LIMITS.documentBytes - head(LIMITS.documentBytes).length);
    yield head(doc.length);
    yield doc;
  },
};

/**
 * Writes `parts` in 16 KiB batches, each to its last byte (a write may take
 * fewer), as fast as the client reads: a server need not be slow to be hostile.
 */
export async function writeAll(conn: Deno.Conn, parts: Iterable<string>): Promise<void> {
  const send = async (text: string) => {
    const bytes = encoder.encode(text);
    for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
  };
  let batch = "";
  for (const part of parts) {
    batch += part;
    if (batch.length < 16384) continue;
    await send(batch);
    batch = "";
  }
  if (batch) await send(batch);
}

/** The answer to a request for `path`: ANSWERS, each written with `writeAll`. */
function answerFromTable(path: string, conn: Deno.Conn): Promise<void> {
  return writeAll(conn, (ANSWERS[path] ?? ANSWERS["/small.json"])());
}

/**
 * A raw TCP server on loopback: reads a request (one read; only its path
 * matters), lets `answer` write to the connection, then closes it.
 */
export function serveHostile(
  answer: (path: string, conn: Deno.Conn) => Promise<void> = answerFromTable,
): { url: string; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      (async () => {
        const request = new Uint8Array(4096);
        const n = await conn.read(request).catch(() => null);
        const path = /^GET (\S+)/.exec(new TextDecoder().decode(request.subarray(0, n ?? 0)))?.[1] ?? "";
        await answer(path, conn).catch(() => {});
        open.delete(conn);
        try {
          conn.close();
        } catch { /* already closed */ }
      })();
    }
  })();
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    close() {
      for (const conn of open) conn.close();
      listener.close();
    },
  };
}
