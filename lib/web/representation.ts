/** Response bodies built once and served many times: ETag and compressed forms made once. */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** FNV-1a over the bytes: cheap, and enough to tell two versions apart in an ETag. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(36);
}

export type Coding = "br" | "gzip" | "identity";

/** One body with its type, strong validator, and lazily compressed forms. */
export class Representation {
  readonly type: string;
  readonly body: Uint8Array;
  readonly etag: string;
  #coded = new Map<Coding, Uint8Array>();

  constructor(type: string, body: Uint8Array | string) {
    this.type = type;
    this.body = typeof body === "string" ? new TextEncoder().encode(body) : body;
    this.etag = `"${fnv1a(this.body)}${this.body.length.toString(36)}"`;
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

/** Picks br, then gzip, from an Accept-Encoding header (q=0 means no). */
export function pickCoding(header: string | null, bodySize: number): Coding {
  if (!header || bodySize < 256) return "identity";
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

/** True when If-None-Match names this representation (any coding of it) or is `*`. */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const base = etag.slice(0, -1);
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag || tag.startsWith(base + "-");
  });
}
