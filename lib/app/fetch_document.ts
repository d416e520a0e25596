/**
 * Downloads a `~fetchdb` document with bounds on where, time, size and type.
 * Every hop (the first and each redirect) resolves its host once, checks
 * every address against the public-internet rule (`addresses.ts`) and the
 * config's allow-list, and connects to the address it checked. Refusals say
 * why and never repeat what was read.
 */
import { LIMITS } from "../state/limits.ts";
import type { ParsedDocument } from "../state/document.ts";
import { isWebUrl } from "../state/validate.ts";
import { errorText } from "../util/errors.ts";
import { addressProblem, isAllowed, isIpAddress } from "./addresses.ts";
import { pinnedGet } from "./pinned_http.ts";

const ACCEPTED_TYPES = /^(application\/(json|octet-stream)|text\/(plain|json|csv))\b/i;

/** Looks up the addresses of a host name. */
type Resolver = (host: string) => Promise<string[]>;

/** Where and how long a download may go; tests shorten the limits and bring their own resolver. */
interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Hosts, addresses and networks reached even though they are not public (config `fetch_allow`). */
  allow: readonly string[];
  resolve: Resolver;
  /** Extra trusted certificates for https (tests). */
  caCerts?: string[];
  /** The bot's zone: a spreadsheet grid (`.csv` URL or `text/csv`) must be in it. */
  timeZone: string;
}

/** The system's DNS: every A and AAAA answer, so none of them escapes the check. */
async function resolveDns(host: string): Promise<string[]> {
  const answers = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
  return answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
}

const DEFAULTS: FetchOptions = {
  timeoutMs: 10_000,
  maxBytes: LIMITS.documentBytes,
  maxRedirects: 3,
  allow: [],
  resolve: resolveDns,
  timeZone: "UTC",
};

/** Fails a download with a reason to say in the channel. */
class Refused extends Error {}

/** The address to connect to for `url`'s host, once every address it has passed the checks. */
async function checkedAddress(url: URL, opts: FetchOptions): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // "localhost" and its subdomains are the machine itself (RFC 6761), whatever a resolver says.
  const loopbackName = /(^|\.)localhost\.?$/i.test(host);
  const addresses = isIpAddress(host)
    ? [host]
    : loopbackName
    ? ["127.0.0.1", "::1"]
    : await opts.resolve(host);
  if (!addresses.length) throw new Refused(`cannot resolve ${host}`);
  for (const address of addresses) {
    const problem = isAllowed(opts.allow, host, address) ? undefined : addressProblem(address);
    if (problem) throw new Refused(`${host} is ${problem}; only public addresses are fetched`);
  }
  return addresses[0];
}

/** Fetches and validates a document; never throws. */
export async function fetchDocument(
  url: string,
  options: Partial<FetchOptions> = {},
): Promise<ParsedDocument> {
  const opts = { ...DEFAULTS, ...options };
  const { timeoutMs, maxBytes, maxRedirects } = opts;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let current = url;
    for (let hop = 0;; hop++) {
      if (!isWebUrl(current)) return { ok: false, error: `not an http(s) URL: ${current.slice(0, 80)}` };
      const target = new URL(current);
      const address = await checkedAddress(target, opts);
      const res = await pinnedGet(target, address, {
        signal,
        accept: "application/json, text/csv;q=0.9",
        caCerts: opts.caCerts,
      });
      if (res.status >= 300 && res.status < 400 && res.headers.has("location")) {
        res.close();
        if (hop >= maxRedirects) return { ok: false, error: "too many redirects" };
        current = new URL(res.headers.get("location")!, current).href;
        continue;
      }
      if (res.status < 200 || res.status > 299) {
        res.close();
        return { ok: false, error: `HTTP ${res.status}` };
      }
      const type = res.headers.get("content-type") ?? "";
      if (type && !ACCEPTED_TYPES.test(type)) {
        res.close();
        return { ok: false, error: `content type ${type.slice(0, 60)} is not JSON nor CSV` };
      }
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > maxBytes) {
        res.close();
        return { ok: false, error: `document larger than ${maxBytes} bytes` };
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += chunk.length;
        if (total > maxBytes) {
          res.close();
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
      const { isGridName, parseDocument, parseGridDocument } = await import("../state/document.ts");
      const grid = /^text\/csv\b/i.test(type) || isGridName(target.pathname);
      return grid ? parseGridDocument(text, opts.timeZone) : parseDocument(text);
    }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.message };
    if (signal.aborted) return { ok: false, error: `no complete answer within ${timeoutMs / 1000} s` };
    return { ok: false, error: `download failed (${errorText(e)})`.slice(0, 200) };
  }
}
