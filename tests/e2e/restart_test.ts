/**
 * `deno task restart` (contrib/restart.ts) with the port guard: a restart
 * with the same store hands over; one onto another store is refused (the
 * old process keeps serving) unless `--take-over` is given.
 */
import assert from "node:assert/strict";
import { eventConfig, healthOf, MAIN, startBot } from "../helpers/process.ts";
import { freePort } from "../helpers/irc.ts";

const RESTART = new URL("../../contrib/restart.ts", import.meta.url).pathname;

/** Runs the restart script; its exit code. */
async function restart(port: number, dir: string, flags: string[], config: string): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      RESTART,
      `--url=http://127.0.0.1:${port}`,
      `--log=${dir}/ptgbot.log`,
      ...flags,
      "--",
      Deno.execPath(),
      "run",
      "-A",
      MAIN,
      config,
    ],
    cwd: dir,
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code;
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "restart: the same store hands over; another store is refused unless --take-over",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-restart-" });
    const port = freePort();
    const a = await eventConfig(dir, "a", port);
    const b = await eventConfig(dir, "b", port);
    const first = await startBot([a], dir);
    const started: number[] = [];
    try {
      const storeA = (await healthOf(port)).store;
      assert.equal(await restart(port, dir, ["--timeout=20"], a), 0);
      assert.equal((await first.proc.status).code, 0);
      const second = await healthOf(port);
      assert.notEqual(second.pid, first.proc.pid);
      assert.equal(second.store, storeA);
      started.push(second.pid);

      // Another event's config: the new process refuses, the running one stays.
      assert.equal(await restart(port, dir, ["--timeout=2"], b), 1);
      assert.equal((await healthOf(port)).pid, second.pid);
      const log = await Deno.readTextFile(`${dir}/ptgbot.log`);
      assert.match(log, /already served by ptgbot process \d+ of another event/);

      assert.equal(await restart(port, dir, ["--timeout=20", "--take-over"], b), 0);
      const third = await healthOf(port);
      started.push(third.pid);
      assert.notEqual(third.store, storeA);
      assert.ok(!alive(second.pid), "the old process left");
    } finally {
      await first.stop();
      for (const pid of started) {
        try {
          Deno.kill(pid, "SIGTERM");
        } catch { /* gone */ }
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
