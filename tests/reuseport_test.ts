/**
 * Steering a shared port: the newest process gets the new connections, and
 * when it leaves the older one gets them again.
 */
import assert from "node:assert/strict";
import { newestIndex } from "../lib/web/reuseport.ts";
import { freePort } from "./irc_helpers.ts";

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
  assert.equal(newestIndex(8000, "15", [tcp, ""]), 1);
  assert.equal(newestIndex(8000, "13", [tcp, ""]), 0);
  assert.equal(newestIndex(8000, "99", [tcp, ""]), undefined);
});

const SERVER = `
import { steerToThisProcess } from ${
  JSON.stringify(new URL("../lib/web/reuseport.ts", import.meta.url).href)
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
  sanitizeResources: false,
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

Deno.test("without FFI permission the program is told why and serves on", async () => {
  const port = freePort();
  // `deno eval` grants everything: a file run with fewer rights stands in for a restricted start.
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, SERVER);
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-net", "--allow-net", "--allow-read", file, String(port), "alone"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    const said = (await reader.read()).value?.trim() ?? "";
    assert.match(said, /^cannot load libc\.so\.6: .*ffi/i);
    assert.deepEqual(await whoAnswers(port, 3), ["alone"]);
  } finally {
    reader.releaseLock();
    proc.kill("SIGTERM");
    await proc.status;
    await Deno.remove(file);
  }
});
