/**
 * Steering a shared port: the newest process gets the new connections, and
 * when it leaves the older one gets them again.
 */
import assert from "node:assert/strict";
import { listeners, newestIndex, tableChunks } from "../../lib/web/reuseport.ts";
import { OPEN_RESOURCES, removing } from "../helpers/e2e.ts";
import { freePort } from "../helpers/irc.ts";
import { joinBytes } from "../../lib/util/bytes.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

function row(local: string, st: string, inode: number): string {
  return `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1`;
}

Deno.test("newestIndex counts the listeners on the same address and port", () => {
  const tcp = [
    HEADER,
    row("0100007F:1F40", "0A", 11), // 127.0.0.1:8000, the older process
    row("0100007F:1F40", "01", 12), // an established connection on the port
    row("00000000:1F40", "0A", 13), // 0.0.0.0:8000 is another group
    row("0100007F:1F41", "0A", 14), // another port
    row("0100007F:1F40", "0A", 15), // ours
  ].join("\n");
  const tables = [new TextEncoder().encode(tcp), new Uint8Array(0)];
  assert.equal(newestIndex(listeners(8000, tables), "15"), 1);
  assert.equal(newestIndex(listeners(8000, tables), "13"), 0);
  assert.equal(newestIndex(listeners(8000, tables), "99"), undefined);
});

Deno.test("newestIndex finds IPv6 listeners among thousands of other sockets", () => {
  const zeros = "0".repeat(32);
  const v6 = (local: string, remote: string, st: string, inode: number, sl: number) =>
    `${
      String(sl).padStart(4)
    }: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  0  0 ${inode} 1`;
  const loop6 = "00000000000000000000000001000000:1F40"; // [::1]:8000
  const lines = [HEADER.replace("local_address", "local_address                         ")];
  lines.push(v6(loop6, `${zeros}:0000`, "0A", 21, 0));
  // Connections to and from port 8000 (including a client whose remote port is 8000).
  for (let i = 1; i <= 12_000; i++) {
    lines.push(
      v6(
        `00000000000000000000000001000000:${(40000 + i % 20000).toString(16).toUpperCase()}`,
        `00000000000000000000000001000000:1F40`,
        "06",
        100 + i,
        i,
      ),
    );
  }
  lines.push(v6(loop6, `${zeros}:0000`, "0A", 22, 12_001));
  const tables = [new Uint8Array(0), new TextEncoder().encode(lines.join("\n"))];
  assert.equal(newestIndex(listeners(8000, tables), "22"), 1);
  assert.equal(newestIndex(listeners(8000, tables), "105"), undefined);
});

Deno.test("tables are read in chunks of whole lines, a listener's line across a chunk's end included", async () => {
  const dir = await Deno.makeTempDir();
  await using _dir = removing(dir);
  const lines = [HEADER];
  for (let i = 0; i < 3000; i++) lines.push(row("0100007F:C350", "06", 1000 + i));
  lines.push(row("0100007F:1F40", "0A", 7));
  for (let i = 0; i < 3000; i++) lines.push(row("0100007F:C351", "06", 5000 + i));
  lines.push(row("0100007F:1F40", "0A", 8)); // the last line, with no newline after it
  const text = lines.join("\n");
  await Deno.writeTextFile(`${dir}/tcp`, text);
  const at = text.indexOf(row("0100007F:1F40", "0A", 7));
  // Every buffer size from one that cuts the first listener's line to a whole-file one.
  for (const size of [256, 1024, at + 40, 64 * 1024, text.length + 10]) {
    // Each chunk is copied as it comes: the reader reuses its buffer.
    const chunks = Array.from(tableChunks([`${dir}/tcp`, `${dir}/missing`], size), (c) => c.slice());
    assert.equal(new TextDecoder().decode(joinBytes(chunks)), text, `buffer of ${size}`);
    assert.ok(chunks.every((c, i) => i === chunks.length - 1 || c.at(-1) === 0x0a));
    assert.deepEqual(listeners(8000, tableChunks([`${dir}/tcp`], size)).map((e) => e.inode), ["7", "8"]);
  }
});

const SERVER = `
import { steerToThisProcess } from ${
  JSON.stringify(new URL("../../lib/web/reuseport.ts", import.meta.url).href)
};
const [port, name] = Deno.args;
const server = Deno.serve({ hostname: "127.0.0.1", port: Number(port), reusePort: true, onListen() {} },
  () => new Response(name));
console.log(steerToThisProcess(server.addr.port) ?? "steered");
`;

async function spawnServer(port: number, name: string) {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-net", SERVER, String(port), name],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  reader.releaseLock();
  return { proc, said: first.value?.trim() };
}

async function whoAnswers(port: number, times: number): Promise<string[]> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const names = new Set<string>();
  for (let i = 0; i < times; i++) {
    names.add(await (await fetch(`http://127.0.0.1:${port}/`, { client })).text());
  }
  client.close();
  return [...names].sort();
}

Deno.test({
  name: "the newest process on a port gets every new connection; the older one again after it leaves",
  ...OPEN_RESOURCES,
  fn: async () => {
    const port = freePort();
    const old = await spawnServer(port, "old");
    const fresh = await spawnServer(port, "new");
    try {
      assert.equal(old.said, "steered");
      assert.equal(fresh.said, "steered");
      assert.deepEqual(await whoAnswers(port, 40), ["new"]);
      fresh.proc.kill("SIGTERM");
      await fresh.proc.status;
      assert.deepEqual(await whoAnswers(port, 40), ["old"]);
      // A third comes: it takes over from the one still there.
      const third = await spawnServer(port, "third");
      try {
        assert.deepEqual(await whoAnswers(port, 40), ["third"]);
      } finally {
        third.proc.kill("SIGTERM");
        await third.proc.status;
      }
    } finally {
      old.proc.kill("SIGTERM");
      await old.proc.status;
    }
  },
});

Deno.test({
  name: "without the rights to steer, a process that needs to is told why and serves on",
  ...OPEN_RESOURCES,
  fn: async () => {
    const port = freePort();
    const old = await spawnServer(port, "old");
    // `deno eval` grants everything: a file run with fewer rights stands in for a restricted start.
    const file = await Deno.makeTempFile({ suffix: ".ts" });
    await Deno.writeTextFile(file, SERVER);
    const proc = new Deno.Command(Deno.execPath(), {
      args: ["run", "--unstable-net", "--allow-net", "--allow-read", file, String(port), "second"],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      const said = (await reader.read()).value?.trim() ?? "";
      // Steering reads /proc/self/fd (all rights) and loads libc (FFI).
      assert.match(said, /--allow-all|--allow-ffi/);
      old.proc.kill("SIGTERM");
      await old.proc.status;
      assert.deepEqual(await whoAnswers(port, 3), ["second"]);
    } finally {
      reader.releaseLock();
      proc.kill("SIGTERM");
      await proc.status;
      await Deno.remove(file);
      try {
        old.proc.kill("SIGTERM");
      } catch { /* stopped above */ }
    }
  },
});

Deno.test("alone on its port a process steers nothing and loads no FFI; the second one does", async () => {
  const port = freePort();
  const script = SERVER.replace("steerToThisProcess }", "ffiLoaded, steerToThisProcess }")
    .replace('?? "steered");', '?? "steered", ffiLoaded() ? "with FFI" : "without FFI");');
  const spawn = (name: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["eval", "--unstable-net", script, String(port), name],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  const first = spawn("first");
  const firstOut = first.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const firstSaid = (await firstOut.read()).value?.trim();
  const second = spawn("second");
  const secondOut = second.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    assert.equal(firstSaid, "steered without FFI");
    assert.equal((await secondOut.read()).value?.trim(), "steered with FFI");
  } finally {
    firstOut.releaseLock();
    secondOut.releaseLock();
    for (const p of [first, second]) {
      p.kill("SIGTERM");
      await p.status;
    }
  }
});
