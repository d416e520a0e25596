/**
 * Steering a shared port to the newest process (Linux).
 *
 * With SO_REUSEPORT the kernel spreads new connections over every listener
 * on the port, so during a hand-over the old process keeps receiving fresh
 * connections until the instant it closes, and one accepted just then can
 * be closed before its request is read (Deno.serve cannot stop accepting
 * without closing). A classic BPF program attached to the port's reuseport
 * group picks the listener by its index instead: the newest process points
 * every new connection at itself as soon as it listens, and the old one only
 * finishes what it already has. When an index is out of range (the newest
 * left), the kernel falls back to its usual hashing.
 */
import { errorText } from "../util/errors.ts";

const SOL_SOCKET = 1;
const SO_ATTACH_REUSEPORT_CBPF = 51;
const BPF_RET_K = 0x06;
const TCP_LISTEN = "0A";

const SYMBOLS = {
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
} as const;
let libc: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] | string | undefined;

/** Whether this process has loaded FFI for steering (only when it shared its port). */
export function ffiLoaded(): boolean {
  return typeof libc === "object";
}

/** The C library's setsockopt through FFI, or why it cannot be had. */
function openLibc() {
  if (libc === undefined) {
    try {
      libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
    } catch (e) {
      libc = `cannot load libc.so.6: ${errorText(e)}`;
    }
  }
  return libc;
}

/** A listening socket on the port, as /proc/net/tcp{,6} lists it. */
interface ListenEntry {
  local: string;
  inode: string;
}

const ascii = new TextEncoder();
const text = new TextDecoder();
const NEWLINE = 0x0a;

/** Where `needle` occurs in `hay`, from `from` on; -1 when it does not. */
function find(hay: Uint8Array, needle: Uint8Array, from: number): number {
  for (let i = hay.indexOf(needle[0], from); i >= 0; i = hay.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * The listening sockets on `port`, from chunks of whole lines of
 * /proc/net/tcp and /proc/net/tcp6. The tables list every socket of the
 * machine (during a hand-over, thousands of connections and TIME_WAITs, a
 * megabyte or more), so the bytes are searched for what a listener's line
 * holds (the port, an all-zero remote address, state 0A) and only those
 * lines become strings.
 */
export function listeners(port: number, chunks: Iterable<Uint8Array>): ListenEntry[] {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const needles = [
    ascii.encode(`:${hex} ${"0".repeat(8)}:0000 ${TCP_LISTEN} `),
    ascii.encode(`:${hex} ${"0".repeat(32)}:0000 ${TCP_LISTEN} `),
  ];
  const found: ListenEntry[] = [];
  for (const chunk of chunks) {
    for (const needle of needles) {
      for (let at = find(chunk, needle, 0); at >= 0; at = find(chunk, needle, at + 1)) {
        const start = chunk.lastIndexOf(NEWLINE, at) + 1;
        const end = chunk.indexOf(NEWLINE, at);
        const f = text.decode(chunk.subarray(start, end < 0 ? chunk.length : end)).trim().split(/\s+/);
        if (f.length >= 10) found.push({ local: f[1], inode: f[9] });
      }
    }
  }
  return found;
}

/**
 * Which index the newest listener has: every listener on the same local
 * address and port is in one group, joined in order, so the newest (this
 * process, just bound) is the last. `inode` identifies our own socket.
 */
export function newestIndex(all: ListenEntry[], inode: string): number | undefined {
  const own = all.find((e) => e.inode === inode);
  if (!own) return undefined;
  return all.filter((e) => e.local === own.local).length - 1;
}

/**
 * The socket tables in chunks of whole lines, read through one small
 * buffer: reading them whole grew the new process's memory by megabytes
 * that it kept (the buffers of a file of unknown size double as it reads).
 */
export function* tableChunks(
  paths = ["/proc/net/tcp", "/proc/net/tcp6"],
  bufferSize = 64 * 1024,
): Generator<Uint8Array> {
  const buf = new Uint8Array(bufferSize);
  for (const path of paths) {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue; // no IPv6
      throw e;
    }
    try {
      let kept = 0; // an unfinished line carried to the front
      for (;;) {
        const n = file.readSync(buf.subarray(kept));
        if (n === null || n === 0) {
          if (kept > 0) yield buf.subarray(0, kept);
          break;
        }
        const filled = kept + n;
        const cut = buf.lastIndexOf(NEWLINE, filled - 1) + 1;
        if (cut === 0) {
          if (filled === buf.length) break; // a line longer than the buffer: not a socket table
          kept = filled; // the last line so far: read on
          continue;
        }
        yield buf.subarray(0, cut);
        buf.copyWithin(0, cut, filled);
        kept = filled - cut;
      }
    } finally {
      file.close();
    }
  }
}

/** This process's listening socket among `all`: its descriptor and socket inode. */
function ownListener(all: ListenEntry[]): { fd: number; inode: string } | undefined {
  const inodes = new Set(all.map((e) => e.inode));
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    let link: string;
    try {
      link = Deno.readLinkSync(`/proc/self/fd/${entry.name}`);
    } catch {
      continue; // closed while we looked
    }
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m && inodes.has(m[1])) return { fd: Number(entry.name), inode: m[1] };
  }
  return undefined;
}

/**
 * Points the port's new connections at this process's listener. Returns
 * undefined when done, or why it could not (not Linux, no FFI permission,
 * socket not found, refused by the kernel); the caller carries on either way.
 */
export function steerToThisProcess(port: number): string | undefined {
  if (Deno.build.os !== "linux") return "not Linux";
  try {
    const all = listeners(port, tableChunks());
    // Alone on the port (the usual start): the kernel has no one else to
    // pick, and FFI (megabytes of resident code) need not load.
    if (all.length === 1) return undefined;
    const own = ownListener(all);
    if (!own) return "listening socket not found in /proc/self/fd";
    const index = newestIndex(all, own.inode) ?? 0;
    if (index === 0) return undefined; // alone on this address (another process has the port elsewhere)
    const c = openLibc();
    if (typeof c === "string") return c;
    // One instruction, "return index": struct sock_filter { u16 code; u8 jt, jf; u32 k }.
    const filter = new Uint8Array(8);
    const f = new DataView(filter.buffer);
    f.setUint16(0, BPF_RET_K, true);
    f.setUint32(4, index, true);
    // struct sock_fprog { u16 len; (padding) struct sock_filter *filter }.
    const prog = new Uint8Array(16);
    const p = new DataView(prog.buffer);
    p.setUint16(0, 1, true);
    p.setBigUint64(8, BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(filter))), true);
    const rc = c.setsockopt(own.fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, prog, prog.length);
    filter.fill(0); // keeps the program's bytes alive until after the call
    return rc === 0 ? undefined : "the kernel refused the steering program";
  } catch (e) {
    return errorText(e);
  }
}
