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

const SOL_SOCKET = 1;
const SO_ATTACH_REUSEPORT_CBPF = 51;
const BPF_RET_K = 0x06;
const TCP_LISTEN = "0A";

const SYMBOLS = {
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
} as const;
let libc: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] | string | undefined;

/** The C library's setsockopt through FFI, or why it cannot be had. */
function openLibc() {
  if (libc === undefined) {
    if (Deno.build.os !== "linux") libc = "not Linux";
    else {
      try {
        libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
      } catch (e) {
        libc = `cannot load libc.so.6: ${e instanceof Error ? e.message : e}`;
      }
    }
  }
  return libc;
}

/** A listening socket on the port, as /proc/net/tcp{,6} lists it. */
interface ListenEntry {
  local: string;
  inode: string;
}

function listeners(port: number, tables: string[]): ListenEntry[] {
  const found: ListenEntry[] = [];
  for (const text of tables) {
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
      const local = f[1];
      if (parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port) {
        found.push({ local, inode: f[9] });
      }
    }
  }
  return found;
}

/**
 * Which index the newest listener has: every listener on the same local
 * address and port is in one group, joined in order, so the newest (this
 * process, just bound) is the last. `tables` are the texts of /proc/net/tcp
 * and /proc/net/tcp6; `inode` identifies our own socket.
 */
export function newestIndex(port: number, inode: string, tables: string[]): number | undefined {
  const all = listeners(port, tables);
  const own = all.find((e) => e.inode === inode);
  if (!own) return undefined;
  return all.filter((e) => e.local === own.local).length - 1;
}

function readTables(): string[] {
  return ["/proc/net/tcp", "/proc/net/tcp6"].map((f) => {
    try {
      return Deno.readTextFileSync(f);
    } catch {
      return "";
    }
  });
}

/** This process's listening socket on `port`: its descriptor and socket inode. */
function ownListener(port: number, tables: string[]): { fd: number; inode: string } | undefined {
  const inodes = new Set(listeners(port, tables).map((e) => e.inode));
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
  const c = openLibc();
  if (typeof c === "string") return c;
  try {
    const tables = readTables();
    const own = ownListener(port, tables);
    if (!own) return "listening socket not found in /proc/self/fd";
    const index = newestIndex(port, own.inode, tables) ?? 0;
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
    return e instanceof Error ? e.message : String(e);
  }
}
