/**
 * Who may read `/metrics`. The numbers say little, but a public page need
 * not hand them out: without a token they are answered only to clients on
 * this machine (loopback: a Prometheus agent or `curl` on the VM); with
 * `metrics_token` set, to anyone who sends it as a Bearer token, and to no
 * one without it (a reverse proxy on the same machine would otherwise make
 * every visitor look local).
 *
 * @module
 */
import { plainText, SECURITY_HEADERS } from "./representation.ts";
import { unbracket } from "../util/ipv6_brackets.ts";

/** The content type of the Prometheus text exposition format. */
const EXPOSITION = "text/plain; version=0.0.4; charset=utf-8";

/** True for an address on this machine's loopback (IPv4, IPv6, or IPv4 in IPv6). */
export function isLoopback(addr: Deno.Addr | undefined): boolean {
  if (!addr || addr.transport !== "tcp") return false;
  const host = unbracket(addr.hostname.toLowerCase());
  return host === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

/** Compares in time independent of where the strings differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/** Answers a request for /metrics: the exposition when the client may read it, else 401/403 with one line. */
export function metricsResponse(
  req: Request,
  remote: Deno.Addr | undefined,
  token: string | undefined,
  exposition: () => string,
): Response {
  if (token !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
    if (!m || !sameSecret(m[1], token)) {
      return plainText(401, "metrics: send the metrics_token as a Bearer token", {
        "cache-control": "no-store",
        "www-authenticate": 'Bearer realm="ptgbot metrics"',
      });
    }
  } else if (!isLoopback(remote)) {
    return plainText(403, "metrics: answered only on this machine (loopback) unless metrics_token is set", {
      "cache-control": "no-store",
    });
  }
  return new Response(req.method === "HEAD" ? null : exposition(), {
    headers: { ...SECURITY_HEADERS, "content-type": EXPOSITION, "cache-control": "no-store" },
  });
}
