/**
 * One HTTP/1.1 GET sent to an address chosen beforehand. `fetch` resolves
 * the host itself, so a name checked against one answer could connect to
 * another (DNS rebinding); here the TCP connection goes to the checked
 * address, and TLS still verifies the certificate against the URL's host.
 *
 * @module
 */

const MAX_HEAD = 32 * 1024;
const CRLF2 = new Uint8Array([13, 10, 13, 10]);

/** A response: status, headers, and the body read on demand. */
export interface PinnedResponse {
  status: number;
  headers: Headers;
  body: AsyncGenerator<Uint8Array>;
  /** Ends the connection (reading the body to its end does too). */
  close(): void;
}

function indexOf(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Reads from a connection, keeping what was read but not used yet. */
class Reader {
  #conn: Deno.Conn;
  buffer: Uint8Array = new Uint8Array(0);
  ended = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Reads more onto the buffer; false at the end of the stream. */
  async more(): Promise<boolean> {
    const chunk = new Uint8Array(16 * 1024);
    const n = await this.#conn.read(chunk);
    if (n === null) {
      this.ended = true;
      return false;
    }
    this.buffer = concat(this.buffer, chunk.subarray(0, n));
    return true;
  }

  take(n: number): Uint8Array {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
}

async function* chunked(r: Reader): AsyncGenerator<Uint8Array> {
  for (;;) {
    let line: number;
    while ((line = indexOf(r.buffer, CRLF2.subarray(0, 2))) < 0) {
      if (r.buffer.length > 1024 || !(await r.more())) throw new Error("broken chunked body");
    }
    const size = parseInt(new TextDecoder().decode(r.take(line)).split(";")[0].trim(), 16);
    r.take(2);
    if (!Number.isFinite(size) || size < 0) throw new Error("broken chunked body");
    if (size === 0) return;
    let left = size;
    while (left > 0) {
      if (!r.buffer.length && !(await r.more())) throw new Error("body cut short");
      const part = r.take(Math.min(left, r.buffer.length));
      left -= part.length;
      yield part;
    }
    while (r.buffer.length < 2) if (!(await r.more())) throw new Error("body cut short");
    r.take(2);
  }
}

async function* sized(r: Reader, length: number | undefined): AsyncGenerator<Uint8Array> {
  let left = length ?? Infinity;
  while (left > 0) {
    if (!r.buffer.length && !(await r.more())) {
      if (length !== undefined) throw new Error("body cut short");
      return;
    }
    const part = r.take(Math.min(left, r.buffer.length));
    left -= part.length;
    yield part;
  }
}

/**
 * GETs `url` from `address` (an IP address the caller checked). `signal`
 * aborts it at any point; `caCerts` adds trusted certificates (tests).
 */
export async function pinnedGet(
  url: URL,
  address: string,
  opts: { signal: AbortSignal; accept: string; caCerts?: string[] },
): Promise<PinnedResponse> {
  const https = url.protocol === "https:";
  const port = Number(url.port || (https ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let conn: Deno.Conn = await Deno.connect({ hostname: address.replace(/^\[|\]$/g, ""), port });
  let closed = false;
  const onAbort = () => close();
  const close = () => {
    if (closed) return;
    closed = true;
    opts.signal.removeEventListener("abort", onAbort);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  opts.signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (opts.signal.aborted) throw opts.signal.reason;
    if (https) conn = await Deno.startTls(conn as Deno.TcpConn, { hostname: host, caCerts: opts.caCerts });
    const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `Accept: ${opts.accept}\r\nUser-Agent: ptgbot\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const r = new Reader(conn);
    let end: number;
    while ((end = indexOf(r.buffer, CRLF2)) < 0) {
      if (r.buffer.length > MAX_HEAD) throw new Error("response headers too large");
      if (!(await r.more())) throw new Error("connection closed before a response");
    }
    const [statusLine, ...lines] = new TextDecoder().decode(r.take(end)).split("\r\n");
    r.take(4);
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!m) throw new Error("not an HTTP response");
    const headers = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    const length = headers.get("content-length");
    const raw = /\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")
      ? chunked(r)
      : sized(r, length !== null && /^\d+$/.test(length) ? Number(length) : undefined);
    const body = (async function* () {
      try {
        yield* raw;
      } finally {
        close();
      }
    })();
    return { status: Number(m[1]), headers, body, close };
  } catch (e) {
    close();
    throw e;
  }
}
