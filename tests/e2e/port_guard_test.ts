/**
 * Two stores, one port: a process of another event is refused with one line
 * and exit code 2, `--take-over` shares the port anyway, and a process of the
 * same store (a successor) still starts. Same-store hand-over under load is
 * handover_test.ts's.
 */
import assert from "node:assert/strict";
import { type Bot, MAIN, startBot } from "../helpers/process.ts";
import { freePort } from "../helpers/irc.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";

async function configFor(dir: string, name: string, port: number): Promise<string> {
  const path = `${dir}/${name}.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      kv_path: `${dir}/${name}.kv`,
      base: SAMPLE_FILE,
      http_host: "127.0.0.1",
      http_port: port,
    }),
  );
  return path;
}

async function healthOf(port: number): Promise<{ pid: number; store: string }> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    return await (await fetch(`http://127.0.0.1:${port}/healthz`, { client })).json();
  } finally {
    client.close();
  }
}

Deno.test({
  name: "port guard: another store's process is refused, --take-over and a successor of the same store start",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-guard-" });
    const port = freePort();
    const a = await configFor(dir, "a", port);
    const b = await configFor(dir, "b", port);
    const bots: Bot[] = [];
    try {
      bots.push(await startBot([a], dir));
      const first = await healthOf(port);
      assert.equal(first.pid, bots[0].proc.pid);
      assert.match(first.store, /^[0-9a-f-]{36}$/);

      const refused = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, b],
        cwd: dir,
        stdin: "null",
      }).output();
      const stderr = new TextDecoder().decode(refused.stderr).trimEnd();
      assert.equal(refused.code, 2, stderr);
      assert.equal(stderr.split("\n").length, 1, stderr);
      assert.match(
        stderr,
        /^ptgbot: http:\/\/127\.0\.0\.1:\d+\/ is already served by ptgbot process \d+ of another event/,
      );
      assert.equal(new TextDecoder().decode(refused.stdout), "");
      // The refused process touched nothing: the first one still serves alone.
      assert.equal((await healthOf(port)).pid, bots[0].proc.pid);

      // The same store again: a successor, which gets the new connections.
      bots.push(await startBot([a], dir));
      const successor = await healthOf(port);
      assert.equal(successor.pid, bots[1].proc.pid);
      assert.equal(successor.store, first.store);
      assert.equal((await bots[0].stop()).code, 0);

      // Told to take over, the other store's process shares the port and gets it.
      bots.push(await startBot([b, "--take-over"], dir));
      const taken = await healthOf(port);
      assert.equal(taken.pid, bots[2].proc.pid);
      assert.notEqual(taken.store, first.store);
    } finally {
      for (const bot of bots) await bot.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
