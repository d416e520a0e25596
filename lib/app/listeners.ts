/**
 * Which processes listen on which TCP ports, read from Linux's /proc: the
 * kernel's socket tables (/proc/net/tcp and tcp6) give each listening
 * socket's port and inode, and a process's open files (/proc/PID/fd) name
 * the inodes it holds. `ptgbot restart` uses it to find every copy on the
 * port (with the port steered to the newest, /healthz only ever shows one)
 * and to check that exactly one is left; the tests use it to see that a
 * signal opened no port. Processes of other users are not visible.
 *
 * @module
 */

/** The listening TCP sockets: inode → port. Empty where there is no /proc. */
async function listeningSockets(): Promise<Map<string, number>> {
  const sockets = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(table);
    } catch {
      continue; // no IPv6, or not Linux
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXADDR:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
      if (f.length < 10 || f[3] !== "0A") continue;
      sockets.set(f[9], parseInt(f[1].split(":")[1], 16));
    }
  }
  return sockets;
}

/** The socket inodes process `pid` holds open (none if it is gone or another user's). */
async function socketInodes(pid: number): Promise<string[]> {
  const inodes: string[] = [];
  try {
    for await (const fd of Deno.readDir(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(await Deno.readLink(`/proc/${pid}/fd/${fd.name}`));
        if (m) inodes.push(m[1]);
      } catch { /* closed meanwhile */ }
    }
  } catch { /* gone, or not ours */ }
  return inodes;
}

/** The TCP ports process `pid` listens on, sorted. */
export async function portsOf(pid: number): Promise<number[]> {
  const sockets = await listeningSockets();
  const ports = new Set<number>();
  for (const inode of await socketInodes(pid)) {
    const port = sockets.get(inode);
    if (port !== undefined) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The processes (of this user) listening on TCP `port`, or undefined where /proc cannot tell. */
export async function listenersOf(port: number): Promise<number[] | undefined> {
  const sockets = await listeningSockets();
  if (sockets.size === 0) return undefined;
  const wanted = new Set([...sockets].filter(([, p]) => p === port).map(([inode]) => inode));
  if (wanted.size === 0) return [];
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    if ((await socketInodes(pid)).some((i) => wanted.has(i))) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}
