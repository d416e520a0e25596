/** The IRC transport on Deno's sockets, against a real local TCP server. */
import assert from "node:assert/strict";
import { DenoTransport } from "../../lib/irc/transport.ts";
import { freePort } from "../helpers/irc.ts";

/** Events a transport emitted, in order, and a way to wait for one. */
function record(t: DenoTransport) {
  const seen: [string, unknown][] = [];
  const waiters: [string, () => void][] = [];
  for (const name of ["open", "line", "close"]) {
    t.on(name, (arg: unknown) => {
      seen.push([name, arg]);
      for (const w of waiters.filter(([n]) => n === name)) {
        waiters.splice(waiters.indexOf(w), 1);
        w[1]();
      }
    });
  }
  const next = (name: string, ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${name} within ${ms} ms: ${JSON.stringify(seen)}`)),
        ms,
      );
      waiters.push([name, () => {
        clearTimeout(timer);
        resolve();
      }]);
    });
  return { seen, next };
}

/** This process's open sockets whose local or remote port is `port` (from /proc: Linux only). */
function socketsOnPort(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of Deno.readTextFileSync(table).split("\n").slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length > 9 && (f[1].endsWith(hex) || f[2].endsWith(hex)) && f[9] !== "0") inodes.add(f[9]);
    }
  }
  let n = 0;
  for (const e of Deno.readDirSync("/proc/self/fd")) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/self/fd/${e.name}`));
      if (m && inodes.has(m[1])) n++;
    } catch {
      // Closed while we looked.
    }
  }
  return n;
}

/** A transport connected to a fresh local server, with the server's side of the connection. */
async function connected(options: { ping_interval?: number; ping_timeout?: number } = {}) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const t = new DenoTransport({ host: "127.0.0.1", port: listener.addr.port, ...options });
  const events = record(t);
  t.connect();
  const server = await listener.accept();
  await events.next("open");
  return { listener, t, server, ...events };
}

async function readUntil(conn: Deno.Conn, text: string): Promise<string> {
  const buf = new Uint8Array(1024);
  let got = "";
  while (!got.includes(text)) {
    const n = await conn.read(buf);
    if (n === null) break;
    got += new TextDecoder().decode(buf.subarray(0, n));
  }
  return got;
}

Deno.test("transport: lines split any way across reads, invalid UTF-8 replaced, a line written with CRLF", async () => {
  const { listener, t, server, seen, next } = await connected();
  assert.equal(t.isConnected(), true);
  const enc = new TextEncoder();
  await server.write(enc.encode(":a PRIVMSG #x :he"));
  await new Promise((r) => setTimeout(r, 50));
  await server.write(
    new Uint8Array([...enc.encode("llo \u00fc\r\n:b PING :1\r\n:c NOTICE x :"), 0xff, 0x0d, 0x0a]),
  );
  while (seen.filter(([n]) => n === "line").length < 3) await next("line");
  assert.deepEqual(seen.filter(([n]) => n === "line").map(([, l]) => l), [
    ":a PRIVMSG #x :hello \u00fc\r\n",
    ":b PING :1\r\n",
    ":c NOTICE x :\ufffd\r\n",
  ]);
  const written = new Promise<void>((resolve) => t.writeLine("PRIVMSG #x :\u00e9t\u00e9", resolve));
  await written;
  assert.equal(await readUntil(server, "\n"), "PRIVMSG #x :\u00e9t\u00e9\r\n");
  const closed = next("close");
  server.close();
  await closed;
  assert.deepEqual(seen.at(-1), ["close", false]);
  assert.equal(t.isConnected(), false);
  listener.close();
});

Deno.test("transport: a graceful close sends what was written, then the server's close ends it", async () => {
  const { listener, t, server, seen, next } = await connected();
  t.writeLine("QUIT :bye");
  t.close();
  // The server reads the line and then the end of the stream (a half-close), and closes.
  assert.equal(await readUntil(server, "\u0000never"), "QUIT :bye\r\n");
  const closed = next("close");
  server.close();
  await closed;
  assert.deepEqual(seen.map(([n]) => n), ["open", "close"]);
  assert.equal(seen.at(-1)![1], false);
  listener.close();
});

Deno.test("transport: a silent connection is closed after ping interval + timeout, without an error", async () => {
  const { listener, server, seen, next } = await connected({ ping_interval: 0.1, ping_timeout: 0.1 });
  const started = performance.now();
  await next("close", 3000);
  assert.ok(performance.now() - started >= 150, "closed too early");
  assert.deepEqual(seen.at(-1), ["close", false]);
  server.close();
  listener.close();
});

Deno.test("transport: a refused connection closes with the reason; a close while connecting closes once", async () => {
  const refused = new DenoTransport({ host: "127.0.0.1", port: freePort() });
  const a = record(refused);
  refused.connect();
  await a.next("close");
  assert.ok(a.seen[0][1] instanceof Error, String(a.seen[0][1]));
  assert.match((a.seen[0][1] as Error).message, /refused/i);

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const t = new DenoTransport({ host: "127.0.0.1", port: listener.addr.port });
  const b = record(t);
  t.connect();
  t.close(true);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(b.seen, [["close", false]]);
  let calledBack = false;
  t.writeLine("NICK x", () => calledBack = true);
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(calledBack, "a write while not connected still calls back");
  // The connection it had started is closed, not left open.
  const conn = await listener.accept();
  assert.equal(await conn.read(new Uint8Array(16)), null);
  conn.close();
  listener.close();
});

Deno.test("transport: a failed TLS handshake closes with the reason and leaves no socket open", async () => {
  // A server that answers the TLS hello with something else, six times.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  for (let i = 0; i < 6; i++) {
    const t = new DenoTransport({ host: "localhost", port: listener.addr.port, tls: true });
    const { seen, next } = record(t);
    t.connect();
    const server = await listener.accept();
    assert.ok((await server.read(new Uint8Array(4096))) !== null, "a client hello");
    await server.write(new TextEncoder().encode("NOTICE * :this is not TLS\r\n"));
    await next("close");
    assert.ok(seen[0][1] instanceof Error);
    server.close();
  }
  // Only this test's sockets count: other test files run in this process at the same time.
  assert.equal(socketsOnPort(listener.addr.port), 1, "a socket left open besides the listener");
  listener.close();
});

Deno.test("transport: only UTF-8", () => {
  const t = new DenoTransport({ host: "127.0.0.1" });
  assert.equal(t.setEncoding("utf8"), true);
  assert.equal(t.setEncoding("UTF-8"), true);
  assert.equal(t.setEncoding("latin1"), false);
});
