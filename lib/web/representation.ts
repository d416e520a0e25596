/** Response bodies built once and served many times: ETag and compressed forms made once. */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

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

export type Coding = "br" | "gzip" | "identity";

/** Headers every response carries. */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

/** One body with its type, strong validator, and lazily compressed forms. */
export class Representation {
  readonly type: string;
  readonly body: Uint8Array;
  readonly etag: string;
  readonly cacheControl: string;
  #coded = new Map<Coding, Uint8Array>();
  // Indexed by coding and whether the answer is a 304: built once each.
  #headers: Record<Coding, [[string, string][]?, [string, string][]?]> = { br: [], gzip: [], identity: [] };
  #templates: Record<Coding, [Response?, Response?]> = { br: [], gzip: [], identity: [] };

  constructor(type: string, body: Uint8Array | string, cacheControl = "no-cache") {
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
   * A fresh response (200, or 304 when `notModified`) in a coding. Cloned
   * from one built on first use: `new Response(bytes)` copies the body and
   * checks every header again, which cost more than the rest of a request
   * for `ptg.json`; a clone shares the bytes and copies the header list.
   */
  response(coding: Coding, notModified: boolean): Response {
    const slot = notModified ? 1 : 0;
    let template = this.#templates[coding][slot];
    if (!template) {
      const body = notModified ? null : this.coded(coding) as Uint8Array<ArrayBuffer>;
      template = new Response(body, {
        status: notModified ? 304 : 200,
        headers: this.headers(coding, notModified),
      });
      this.#templates[coding][slot] = template;
    }
    return template.clone();
  }

  /** The body in a content coding, compressed on first use. */
  coded(coding: Coding): Uint8Array {
    if (coding === "identity") return this.body;
    let out = this.#coded.get(coding);
    if (!out) {
      out = coding === "br"
        ? brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : gzipSync(this.body, { level: 6 });
      this.#coded.set(coding, out);
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
