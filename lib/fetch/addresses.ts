/**
 * Which network addresses a download started from IRC may reach: only the
 * public internet, unless the config allows more. A channel operator must
 * not be able to make the bot fetch from the machine it runs on, its cloud's
 * metadata service or the private network behind it.
 *
 * Pure functions on address text: nothing here connects or resolves.
 *
 * @module
 */
import { unbracket } from "../util/ipv6_brackets.ts";

/** An IPv4 address as a 32-bit number, or undefined when the text is not a dotted quad. */
function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** An IPv6 address as eight 16-bit groups, or undefined when the text is not one. */
function ipv6(text: string): number[] | undefined {
  let t = unbracket(text).toLowerCase();
  if (t.includes("%")) t = t.slice(0, t.indexOf("%")); // a zone index names no other address
  // A trailing dotted quad stands for the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (quad) {
    const v4 = ipv4(quad[1]);
    if (v4 === undefined) return undefined;
    t = `${t.slice(0, -quad[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = t.split("::");
  if (halves.length > 2) return undefined;
  const side = (s: string) => (s === "" ? [] : s.split(":"));
  const head = side(halves[0]);
  const tail = halves.length === 2 ? side(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

type V4Range = [base: string, bits: number, what: string];

const V4_REFUSED: V4Range[] = [
  ["0.0.0.0", 8, "an unspecified address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "a reserved address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a reserved address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

function inV4(address: number, [base, bits]: V4Range): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((address & mask) >>> 0) === ((ipv4(base)! & mask) >>> 0);
}

function v4Problem(address: number): string | undefined {
  return V4_REFUSED.find((r) => inV4(address, r))?.[2];
}

function v6Problem(g: number[]): string | undefined {
  const zeroUntil = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = () => (g[6] << 16 | g[7]) >>> 0;
  if (zeroUntil(8)) return "an unspecified address";
  if (zeroUntil(7) && g[7] === 1) return "a loopback address";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if ((zeroUntil(5) && g[5] === 0xffff) || zeroUntil(6)) return v4Problem(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Problem(embedded());
  // 6to4 (2002:a.b.c.d::) reaches the IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return v4Problem((g[1] << 16 | g[2]) >>> 0);
  if ((g[0] & 0xfe00) === 0xfc00) return "a unique-local address";
  if ((g[0] & 0xffc0) === 0xfe80) return "a link-local address";
  if ((g[0] & 0xffc0) === 0xfec0) return "a site-local address";
  if ((g[0] & 0xff00) === 0xff00) return "a multicast address";
  return undefined;
}

/**
 * Why a download may not go to this address (an IP address as text, as a
 * resolver or a URL gives it), or undefined for a public address. Text that
 * is no IP address at all is refused too.
 */
export function addressProblem(address: string): string | undefined {
  const v4 = ipv4(address);
  if (v4 !== undefined) return v4Problem(v4);
  const v6 = ipv6(address);
  if (v6 !== undefined) return v6Problem(v6);
  return "not an IP address";
}

/** True when the text is an IP address literal (the URL's host needs no lookup then). */
export function isIpAddress(text: string): boolean {
  return ipv4(text) !== undefined || ipv6(text) !== undefined;
}

/**
 * True when `address` (an IP address) or `host` (the name in the URL) is
 * allowed by an entry of the config's allow-list: a host name, an address,
 * or a network in CIDR form (`10.1.0.0/16`, `fd00::/8`).
 */
export function isAllowed(allow: readonly string[], host: string, address: string): boolean {
  const name = unbracket(host).toLowerCase();
  return allow.some((entry) => {
    const e = entry.toLowerCase();
    if (e === name) return true;
    const [net, bitsText] = e.split("/");
    const a4 = ipv4(address);
    const n4 = ipv4(net);
    if (a4 !== undefined && n4 !== undefined) {
      return inV4(a4, [net, bitsText === undefined ? 32 : Number(bitsText), ""]);
    }
    const a6 = ipv6(address);
    const n6 = ipv6(net);
    if (a6 === undefined || n6 === undefined) return false;
    let bits = bitsText === undefined ? 128 : Number(bitsText);
    for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
      const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
      if ((a6[i] & mask) !== (n6[i] & mask)) return false;
    }
    return true;
  });
}

/** True when a config allow-list entry is a host name, an address or a network this module understands. */
export function isAllowEntry(entry: string): boolean {
  const [net, bits, extra] = entry.split("/");
  if (extra !== undefined) return false;
  if (bits !== undefined) {
    const max = ipv4(net) !== undefined ? 32 : ipv6(net) !== undefined ? 128 : -1;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  }
  return isIpAddress(net) ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(net);
}
