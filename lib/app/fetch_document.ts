/** Downloads a `~fetchdb` document with bounds on scheme, time, size and type. */
import { LIMITS } from "../state/limits.ts";
import type { ParsedDocument } from "../state/document.ts";
import { isWebUrl } from "../state/validate.ts";
import { errorText } from "../util/errors.ts";

const ACCEPTED_TYPES = /^(application\/(json|octet-stream)|text\/(plain|json))\b/i;

/** Options mainly for tests: shorter limits. */
interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

const DEFAULTS: FetchLimits = { timeoutMs: 10_000, maxBytes: LIMITS.documentBytes, maxRedirects: 3 };

/** Fetches and validates a document; never throws. */
export async function fetchDocument(url: string, limits: Partial<FetchLimits> = {}): Promise<ParsedDocument> {
  const { timeoutMs, maxBytes, maxRedirects } = { ...DEFAULTS, ...limits };
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let current = url;
    for (let hop = 0;; hop++) {
      if (!isWebUrl(current)) return { ok: false, error: `not an http(s) URL: ${current.slice(0, 80)}` };
      const res = await fetch(current, {
        redirect: "manual",
        signal,
        headers: { accept: "application/json" },
      });
      if (res.status >= 300 && res.status < 400 && res.headers.has("location")) {
        await res.body?.cancel();
        if (hop >= maxRedirects) return { ok: false, error: "too many redirects" };
        current = new URL(res.headers.get("location")!, current).href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { ok: false, error: `HTTP ${res.status}` };
      }
      const type = res.headers.get("content-type") ?? "";
      if (type && !ACCEPTED_TYPES.test(type)) {
        await res.body?.cancel();
        return { ok: false, error: `content type ${type.slice(0, 60)} is not JSON` };
      }
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > maxBytes) {
        await res.body?.cancel();
        return { ok: false, error: `document larger than ${maxBytes} bytes` };
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body ?? []) {
        total += chunk.length;
        if (total > maxBytes) {
          await res.body?.cancel().catch(() => {});
          return { ok: false, error: `document larger than ${maxBytes} bytes` };
        }
        chunks.push(chunk);
      }
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return { ok: false, error: "the document is not UTF-8" };
      }
      const { parseDocument } = await import("../state/document.ts");
      return parseDocument(text);
    }
  } catch (e) {
    if (signal.aborted) return { ok: false, error: `no complete answer within ${timeoutMs / 1000} s` };
    return { ok: false, error: `download failed (${errorText(e)})`.slice(0, 200) };
  }
}
