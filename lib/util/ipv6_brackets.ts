/**
 * IPv6 literals in host text: a URL, a `Deno.NetAddr` or a config may write
 * one in square brackets (`[::1]`), while connecting, comparing and
 * checking addresses want it bare.
 *
 * @module
 */

/** `host` without a leading `[` and a trailing `]` (`[::1]` → `::1`); any other text as it is. */
export function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}
