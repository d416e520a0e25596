/**
 * Downloads a `~fetchdb` document with bounds on where, time, size and type.
 * Every hop (the first and each redirect) resolves its host once, checks
 * every address against the public-internet rule (`addresses.ts`) and the
 * config's allow-list, and connects to the address it checked. One
 * deadline covers the whole download, lookups and connecting included; one
 * byte limit covers all a server sends for a hop. Refusals say why and never
 * repeat what a server sent (its content type, its redirect target, the
 * document), and no control character from a download reaches a reply.
 *
 * @module
 */
import { LIMITS } from "../state/limits.ts";
import type { ParsedDocument } from "../state/document.ts";
import { isWebUrl } from "../state/validate.ts";
import { errorText } from "../util/errors.ts";
import { unbracket } from "../util/ipv6_brackets.ts";
import { addressProblem, isAllowed, isIpAddress } from "./addresses.ts";
import { beforeDeadline, pinnedGet, TooLarge } from "./pinned_http.ts";

const ACCEPTED_TYPES = /^(application\/(json|octet-stream)|text\/(plain|json|csv))\b/i;

/** Looks up the addresses of a host name; `signal` says when to give up. */
type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

/** Where and how long a download may go; tests shorten the limits and bring their own resolver. */
interface FetchOptions {
  /** One deadline for the whole download: every hop's lookup, connection, handshake and reading. */
  timeoutMs: number;
  /** Everything a server sends for one hop counts: headers and chunk framing as well as the document. */
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
async function resolveDns(host: string, signal: AbortSignal): Promise<string[]> {
  const answers = await Promise.allSettled([
    Deno.resolveDns(host, "A", { signal }),
    Deno.resolveDns(host, "AAAA", { signal }),
  ]);
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
async function checkedAddress(url: URL, opts: FetchOptions, signal: AbortSignal): Promise<string> {
  const host = unbracket(url.hostname);
  // "localhost" and its subdomains are the machine itself (RFC 6761), whatever a resolver says.
  const loopbackName = /(^|\.)localhost\.?$/i.test(host);
  const addresses = isIpAddress(host)
    ? [host]
    : loopbackName
    ? ["127.0.0.1", "::1"]
    : await beforeDeadline(opts.resolve(host, signal), signal);
  if (!addresses.length) throw new Refused(`cannot resolve ${host}`);
  for (const address of addresses) {
    const problem = isAllowed(opts.allow, host, address) ? undefined : addressProblem(address);
    if (problem) throw new Refused(`${host} is ${problem}; only public addresses are fetched`);
  }
  return addresses[0];
}

/**
 * What the bot repeats from a download (reasons, CSV lines, ignored keys)
 * without control characters, so a server cannot colour or break the line.
 */
function withoutControls(result: ParsedDocument): ParsedDocument {
  // deno-lint-ignore no-control-regex
  const plain = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
  if (result.ok) return { ...result, ignored: result.ignored.map(plain) };
  return result.lines
    ? { ok: false, error: plain(result.error), lines: result.lines.map(plain) }
    : { ok: false, error: plain(result.error) };
}

/** Fetches and validates a document; never throws. */
export async function fetchDocument(
  url: string,
  options: Partial<FetchOptions> = {},
): Promise<ParsedDocument> {
  const opts = { ...DEFAULTS, ...options };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("deadline")), opts.timeoutMs);
  try {
    return withoutControls(await download(url, opts, deadline.signal));
  } finally {
    clearTimeout(timer);
  }
}

async function download(url: string, opts: FetchOptions, signal: AbortSignal): Promise<ParsedDocument> {
  const { timeoutMs, maxBytes, maxRedirects } = opts;
  const tooLarge = `document larger than ${maxBytes} bytes`;
  try {
    let current = url;
    for (let hop = 0;; hop++) {
      if (!isWebUrl(current)) {
        // The first URL is the operator's own; a redirect's target is the server's, not repeated.
        const error = hop
          ? "the redirect target is not an http(s) URL"
          : `not an http(s) URL: ${current.slice(0, 80)}`;
        return { ok: false, error };
      }
      const target = new URL(current);
      const address = await checkedAddress(target, opts, signal);
      const res = await pinnedGet(target, address, {
        signal,
        accept: "application/json, text/csv;q=0.9",
        maxBytes,
        caCerts: opts.caCerts,
      });
      if (res.status >= 300 && res.status < 400 && res.headers.has("location")) {
        res.close();
        if (hop >= maxRedirects) return { ok: false, error: "too many redirects" };
        if (!URL.canParse(res.headers.get("location")!, current)) {
          return { ok: false, error: "the redirect target is not a valid URL" };
        }
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
        return { ok: false, error: "not JSON or CSV (content type refused)" };
      }
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > maxBytes) {
        res.close();
        return { ok: false, error: tooLarge };
      }
      const bytes = await res.readBody();
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
    if (e instanceof TooLarge) return { ok: false, error: tooLarge };
    if (signal.aborted) return { ok: false, error: `no complete answer within ${timeoutMs / 1000} s` };
    return { ok: false, error: `download failed (${errorText(e)})`.slice(0, 200) };
  }
}
