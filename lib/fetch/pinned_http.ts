/**
 * One HTTP/1.1 GET sent to an address chosen beforehand. `fetch` resolves
 * the host itself, so a name checked against one answer could connect to
 * another (DNS rebinding); here the TCP connection goes to the checked
 * address, and TLS still verifies the certificate against the URL's host.
 *
 * The server is not trusted with memory or time: every byte it sends
 * (status line, headers, chunk sizes and extensions, trailers, body) counts
 * against one byte limit, the body is copied into one bounded buffer (no
 * piece of a read buffer is kept), and the caller's signal ends every step,
 * connecting and the TLS handshake included.
 *
 * @module
 */
import { unbracket } from "../util/ipv6_brackets.ts";

const MAX_HEAD = 32 * 1024;
const READ_SIZE = 16 * 1024;
/** Hex digits in a chunk size: eight already say 4 GiB, far past any limit. */
const MAX_SIZE_DIGITS = 8;
const CR = 13;
const LF = 10;

/** The server sent more bytes than the limit allows. */
export class TooLarge extends Error {
  constructor() {
    super("more bytes than the limit");
  }
}

/** A response: status and headers; the body is read on request. */
export interface PinnedResponse {
  status: number;
  headers: Headers;
  /** Reads the whole body into one buffer (then ends the connection). */
  readBody(): Promise<Uint8Array>;
  /** Ends the connection. */
  close(): void;
}

/**
 * Waits for `work` until `signal` aborts, then rejects with its reason; a
 * result that arrives after that is handed to `discard` (to close it).
 */
export function beforeDeadline<T>(
  work: Promise<T>,
  signal: AbortSignal,
  discard: (late: T) => void = () => {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.then(discard, () => {});
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The body as it arrives, copied into one buffer that grows up to `max`
 * bytes and no further.
 */
export class BodyBuffer {
  #bytes: Uint8Array;
  #length = 0;
  readonly #max: number;

  /** `expected` is the declared length, when there is one, to allocate once. */
  constructor(max: number, expected = 0) {
    this.#max = max;
    this.#bytes = new Uint8Array(Math.min(max, Math.max(expected, READ_SIZE)));
  }

  /**
   * Copies `source` from `start` to `end` in (the caller may reuse it
   * afterwards); throws TooLarge past the limit.
   */
  append(source: Uint8Array, start = 0, end = source.length): void {
    const need = this.#length + end - start;
    if (need > this.#max) throw new TooLarge();
    if (need > this.#bytes.length) {
      const grown = new Uint8Array(Math.min(this.#max, Math.max(need, this.#bytes.length * 2)));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    // A few bytes (a 1-byte chunk) are copied one by one: a view per piece would be garbage per piece.
    if (end - start <= 64) {
      for (let i = start, at = this.#length; i < end; i++, at++) this.#bytes[at] = source[i];
    } else {
      this.#bytes.set(source.subarray(start, end), this.#length);
    }
    this.#length = need;
  }

  /** Bytes held so far. */
  get length(): number {
    return this.#length;
  }

  /** Bytes allocated (never more than the limit). */
  get capacity(): number {
    return this.#bytes.length;
  }

  /** The body so far. */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

type ChunkState =
  | "size"
  | "extension"
  | "size-lf"
  | "data"
  | "data-cr"
  | "data-lf"
  | "trailer"
  | "trailer-line"
  | "trailer-lf"
  | "end-lf"
  | "done";

/**
 * Decodes a chunked body (RFC 9112 §7.1) as it arrives, in any pieces: the
 * data is copied into the body, the rest (sizes, extensions, trailers) is only
 * stepped over. Nothing of the pieces pushed is kept.
 */
export class ChunkedDecoder {
  #state: ChunkState = "size";
  #size = 0;
  #digits = 0;
  #left = 0;
  readonly #body: BodyBuffer;

  constructor(body: BodyBuffer) {
    this.#body = body;
  }

  /** True once the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.#state === "done";
  }

  /** Takes bytes; returns how many were used (fewer only once done). */
  push(bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length && this.#state !== "done") {
      if (this.#state === "data") {
        const n = Math.min(this.#left, bytes.length - i);
        this.#body.append(bytes, i, i + n);
        this.#left -= n;
        i += n;
        if (this.#left === 0) this.#state = "data-cr";
        continue;
      }
      this.#step(bytes[i++]);
    }
    return i;
  }

  #step(b: number): void {
    switch (this.#state) {
      case "size": {
        const digit = hexValue(b);
        if (digit >= 0 && this.#digits < MAX_SIZE_DIGITS) {
          this.#size = this.#size * 16 + digit;
          this.#digits++;
        } else if (this.#digits > 0 && (b === 0x3b || b === 0x20 || b === 0x09)) {
          this.#state = "extension";
        } else if (this.#digits > 0 && b === CR) {
          this.#state = "size-lf";
        } else {
          throw new Error("broken chunked body");
        }
        return;
      }
      case "extension":
        if (b === CR) this.#state = "size-lf";
        else if (b === LF) throw new Error("broken chunked body");
        return;
      case "size-lf":
        if (b !== LF) throw new Error("broken chunked body");
        this.#left = this.#size;
        this.#state = this.#size === 0 ? "trailer" : "data";
        this.#size = 0;
        this.#digits = 0;
        return;
      case "data-cr":
        if (b !== CR) throw new Error("broken chunked body");
        this.#state = "data-lf";
        return;
      case "data-lf":
        if (b !== LF) throw new Error("broken chunked body");
        this.#state = "size";
        return;
      case "trailer":
        this.#state = b === CR ? "end-lf" : "trailer-line";
        return;
      case "trailer-line":
        if (b === CR) this.#state = "trailer-lf";
        return;
      case "trailer-lf":
        if (b !== LF) throw new Error("broken chunked body");
        this.#state = "trailer";
        return;
      case "end-lf":
        if (b !== LF) throw new Error("broken chunked body");
        this.#state = "done";
        return;
    }
  }
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

/**
 * Reads from a connection into one reused buffer, counting every byte
 * against the limit and never reading past it (but for the one byte that
 * shows the limit is passed).
 */
class Wire {
  readonly #conn: Deno.Conn;
  readonly #buffer = new Uint8Array(READ_SIZE);
  readonly #limit: number;
  #start = 0;
  #end = 0;
  #received = 0;

  constructor(conn: Deno.Conn, limit: number) {
    this.#conn = conn;
    this.#limit = limit;
  }

  /** The bytes read and not used yet: a view valid only until the next `fill`. */
  pending(): Uint8Array {
    return this.#buffer.subarray(this.#start, this.#end);
  }

  use(n: number): void {
    this.#start += n;
  }

  /** Reads more once everything pending is used; false at the end of the stream. */
  async fill(): Promise<boolean> {
    const room = this.#limit - this.#received;
    const n = await this.#conn.read(this.#buffer.subarray(0, Math.min(READ_SIZE, room + 1)));
    if (n === null) return false;
    this.#received += n;
    if (this.#received > this.#limit) throw new TooLarge();
    this.#start = 0;
    this.#end = n;
    return true;
  }
}

/** Reads the status line and headers (up to the blank line) as text. */
async function readHead(wire: Wire): Promise<string> {
  const head = new Uint8Array(MAX_HEAD);
  let length = 0;
  for (;;) {
    const bytes = wire.pending();
    for (let i = 0; i < bytes.length; i++) {
      if (length === MAX_HEAD) throw new Error("response headers too large");
      head[length++] = bytes[i];
      if (
        length >= 4 && head[length - 1] === LF && head[length - 2] === CR && head[length - 3] === LF &&
        head[length - 4] === CR
      ) {
        wire.use(i + 1);
        return new TextDecoder().decode(head.subarray(0, length - 4));
      }
    }
    wire.use(bytes.length);
    if (!(await wire.fill())) throw new Error("connection closed before a response");
  }
}

async function readChunked(wire: Wire, body: BodyBuffer): Promise<void> {
  const decoder = new ChunkedDecoder(body);
  for (;;) {
    wire.use(decoder.push(wire.pending()));
    if (decoder.done) return;
    if (!(await wire.fill())) throw new Error("body cut short");
  }
}

/** A body of `length` bytes, or up to the end of the stream when undefined. */
async function readSized(wire: Wire, body: BodyBuffer, length: number | undefined): Promise<void> {
  let left = length ?? Infinity;
  for (;;) {
    const bytes = wire.pending();
    const n = Math.min(left, bytes.length);
    body.append(bytes, 0, n);
    wire.use(n);
    left -= n;
    if (left === 0) return;
    if (!(await wire.fill())) {
      if (length !== undefined) throw new Error("body cut short");
      return;
    }
  }
}

/**
 * GETs `url` from `address` (an IP address the caller checked). `signal`
 * ends it at any step, from connecting to the last byte; `maxBytes` bounds
 * everything the server sends; `caCerts` adds trusted certificates (tests).
 */
export async function pinnedGet(
  url: URL,
  address: string,
  opts: { signal: AbortSignal; accept: string; maxBytes: number; caCerts?: string[] },
): Promise<PinnedResponse> {
  const { signal } = opts;
  const https = url.protocol === "https:";
  const port = Number(url.port || (https ? 443 : 80));
  const host = unbracket(url.hostname);
  const discard = (late: Deno.Conn) => late.close();
  let conn: Deno.Conn = await beforeDeadline(
    Deno.connect({ hostname: unbracket(address), port, signal }),
    signal,
    discard,
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    signal.removeEventListener("abort", close);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  // Closing the connection ends a read, a write or a handshake waiting on it.
  signal.addEventListener("abort", close, { once: true });
  try {
    if (signal.aborted) throw signal.reason;
    if (https) {
      const tls = await Deno.startTls(conn as Deno.TcpConn, { hostname: host, caCerts: opts.caCerts });
      conn = tls;
      await tls.handshake();
    }
    const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Accept: ${opts.accept}\r\nUser-Agent: ptgbot\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const wire = new Wire(conn, opts.maxBytes);
    const [statusLine, ...lines] = (await readHead(wire)).split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!m) throw new Error("not an HTTP response");
    const headers = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      try {
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      } catch {
        throw new Error("malformed response header");
      }
    }
    const lengthText = headers.get("content-length");
    const length = lengthText !== null && /^\d+$/.test(lengthText) ? Number(lengthText) : undefined;
    const isChunked = /\bchunked\b/i.test(headers.get("transfer-encoding") ?? "");
    const readBody = async () => {
      try {
        const body = new BodyBuffer(opts.maxBytes, isChunked ? 0 : length);
        if (isChunked) await readChunked(wire, body);
        else await readSized(wire, body, length);
        return body.bytes();
      } finally {
        close();
      }
    };
    return { status: Number(m[1]), headers, readBody, close };
  } catch (e) {
    close();
    throw e;
  }
}
