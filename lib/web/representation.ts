/** Response bodies built once and served many times: ETag and compressed forms made once. */

/**
 * A 64-bit (two lanes of 32) multiplicative hash over the bytes, four at a
 * time: enough to tell two versions apart in an ETag, and a megabyte takes
 * well under a millisecond.
 */
function contentHash(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5 ^ bytes.length;
  let h2 = 0x01000193;
  const words = bytes.length >>> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) {
    const w = view.getUint32(i * 4, true);
    h1 = Math.imul(h1 ^ w, 0x9e3779b1);
    h2 = Math.imul(h2 ^ w, 0x85ebca77) ^ (h1 >>> 15);
  }
  for (let i = words * 4; i < bytes.length; i++) h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}

type Coding = "br" | "gzip" | "identity";

const FORMAT = { br: "brotli", gzip: "gzip" } as const;

/**
 * Compresses with the runtime's own CompressionStream (brotli is one of
 * its formats): node:zlib would bring the Node compatibility layer's
 * streams along, megabytes of memory for two calls per state change.
 */
export async function compress(bytes: Uint8Array, coding: "br" | "gzip"): Promise<Uint8Array> {
  const chunk = bytes as Uint8Array<ArrayBuffer>;
  const stream = ReadableStream.from([chunk]).pipeThrough(new CompressionStream(FORMAT[coding]));
  return await new Response(stream).bytes();
}

/** Headers every response carries. */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

/**
 * Caching of what is built from the state (`ptg.json`, the pages, the history):
 * briefly fresh, then revalidated by ETag, so a change shows within seconds.
 */
export const STATE_CACHE = "public, max-age=2, must-revalidate";

/** A one-line plain-text answer (errors, refusals), with the security headers. */
export function plainText(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...extra },
  });
}

/** One body with its type, strong validator, and lazily compressed forms. */
export class Representation {
  readonly type: string;
  readonly body: Uint8Array;
  readonly etag: string;
  readonly cacheControl: string;
  #coded = new Map<Coding, Uint8Array | Promise<Uint8Array>>();
  // Indexed by coding and whether the answer is a 304: built once each.
  #headers: Record<Coding, [[string, string][]?, [string, string][]?]> = { br: [], gzip: [], identity: [] };
  #templates: Record<Coding, [Response?, Response?]> = { br: [], gzip: [], identity: [] };
  #compress: typeof compress;

  /** `compressor` is for tests: the runtime's own compression by default. */
  constructor(type: string, body: Uint8Array | string, cacheControl = "no-cache", compressor = compress) {
    this.#compress = compressor;
    this.type = type;
    this.body = typeof body === "string" ? new TextEncoder().encode(body) : body;
    this.etag = `"${contentHash(this.body)}${this.body.length.toString(36)}"`;
    this.cacheControl = cacheControl;
  }

  /** The strong validator of the body in a coding (each coding is its own representation). */
  etagFor(coding: Coding): string {
    return coding === "identity" ? this.etag : `${this.etag.slice(0, -1)}-${coding}"`;
  }

  /**
   * Response headers for a coding, built once. A 304 carries only what
   * updates the client's stored copy (validator and caching rules, RFC 9110
   * §15.4.5): the stored 200 keeps its type and security headers, and a
   * short 304 is most of what a page polling an unchanged state costs.
   */
  headers(coding: Coding, notModified: boolean): [string, string][] {
    const slot = notModified ? 1 : 0;
    let h = this.#headers[coding][slot];
    if (!h) {
      const caching: [string, string][] = [
        ["etag", this.etagFor(coding)],
        ["cache-control", this.cacheControl],
        ["vary", "Accept-Encoding"],
      ];
      h = notModified ? caching : [
        ...Object.entries(SECURITY_HEADERS),
        ["content-type", this.type],
        ...caching,
        ...(coding === "identity" ? [] : [["content-encoding", coding] as [string, string]]),
      ];
      this.#headers[coding][slot] = h;
    }
    return h;
  }

  /**
   * The response (200, or 304 when `notModified`) in a coding: a promise
   * only while the body is first being compressed. A 200 is cloned from one
   * built on first use: `new Response(bytes)` copies the body and checks
   * every header again on each request; a clone shares the bytes and copies
   * the header list. A 304
   * has no body to use up, so one response object answers them all: the
   * caller must not change it (copy it first).
   */
  response(coding: Coding, notModified: boolean): Response | Promise<Response> {
    const template = this.#templates[coding][notModified ? 1 : 0];
    if (template) return notModified ? template : template.clone();
    if (notModified) return this.#template(coding, null, 304);
    const body = this.coded(coding);
    if (body instanceof Uint8Array) return this.#template(coding, body, 200).clone();
    // Should compressing ever fail, the plain body is still a right answer.
    return body.then(() => this.response(coding, false), () => this.response("identity", false));
  }

  #template(coding: Coding, body: Uint8Array | null, status: 200 | 304): Response {
    const notModified = status === 304;
    const template = new Response(body as Uint8Array<ArrayBuffer> | null, {
      status,
      headers: this.headers(coding, notModified),
    });
    this.#templates[coding][notModified ? 1 : 0] = template;
    return template;
  }

  /** The body in a content coding, compressed once on first use (a promise until it is). */
  coded(coding: Coding): Uint8Array | Promise<Uint8Array> {
    if (coding === "identity") return this.body;
    let out = this.#coded.get(coding);
    if (!out) {
      // Requests that come while it compresses wait for the same result.
      const pending = this.#compress(this.body, coding);
      this.#coded.set(coding, pending);
      pending.then((bytes) => this.#coded.set(coding, bytes), () => this.#coded.delete(coding));
      out = pending;
    }
    return out;
  }
}

const picked = new Map<string, Coding>();

/** Picks br, then gzip, from an Accept-Encoding header (q=0 means no). */
export function pickCoding(header: string | null, bodySize: number): Coding {
  if (!header || bodySize < 256) return "identity";
  // Clients send a handful of distinct headers: remember the answers.
  let coding = picked.get(header);
  if (coding === undefined) {
    coding = parseAcceptEncoding(header);
    if (picked.size > 256) picked.clear();
    picked.set(header, coding);
  }
  return coding;
}

function parseAcceptEncoding(header: string): Coding {
  const accepted = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (c: string) => (accepted.get(c) ?? accepted.get("*") ?? 0) > 0;
  if (ok("br")) return "br";
  if (ok("gzip")) return "gzip";
  return "identity";
}

/** True when If-None-Match names this representation (in any of its codings) or is `*`. */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const base = etag.slice(0, -1);
  const ours = (tag: string) => tag === etag || tag === `${base}-br"` || tag === `${base}-gzip"`;
  // The common case: the client sends back exactly the tag it was given.
  if (ours(ifNoneMatch)) return true;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || ours(tag);
  });
}
