/**
 * `ptgbot restart CONFIG` (lib/app/restart.ts), run as an organiser runs it:
 * within one store it hands over and leaves exactly one process on the
 * port; a new process that exits at once is noticed at once and the old one
 * serves on; relative paths are read from the config's folder whatever the
 * working directory. IRC cases: tests/e2e/restart_irc_test.ts.
 */
import assert from "node:assert/strict";
import { eventConfig, healthOf, startBot } from "../helpers/process.ts";
import { alive, oneLine, restart, stopAll } from "../helpers/restart.ts";
import { freePort } from "../helpers/irc.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";
import { listenersOf } from "../../lib/app/listeners.ts";
import { E2E } from "../helpers/e2e.ts";

Deno.test({
  name: "restart: the same store hands over to exactly one process; a new one that exits is noticed at once",
  ...E2E,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-restart-" });
    const port = freePort();
    const a = await eventConfig(dir, "a", port);
    const b = await eventConfig(dir, "b", port);
    const first = await startBot([a], dir);
    const started: number[] = [];
    try {
      const storeA = (await healthOf(port)).store;
      const done = await restart([a], dir);
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.stderr, "");
      const line = oneLine(done.stdout);
      assert.match(
        line,
        new RegExp(`^restart: process \\d+ serves http://127.0.0.1:${port}/ .*stopped ${first.proc.pid}$`),
      );
      assert.equal((await first.proc.status).code, 0);
      const second = await healthOf(port);
      started.push(second.pid);
      assert.notEqual(second.pid, first.proc.pid);
      assert.equal(second.store, storeA);
      assert.ok(line.includes(`process ${second.pid} `));
      assert.deepEqual(await listenersOf(port), [second.pid], "one process on the port");

      // Another event's config: the new process refuses the port and exits; noticed well before the 30 s.
      const refused = await restart([b], dir);
      assert.equal(refused.code, 2);
      assert.equal(refused.stdout, "");
      assert.match(
        oneLine(refused.stderr),
        /^restart: the new process exited \(code 2\) after [\d.]+ s: .*already served by ptgbot process \d+ of another event.*; process \d+ serves on/,
      );
      assert.ok(refused.ms < 10_000, `noticed after ${refused.ms} ms`);
      assert.equal((await healthOf(port)).pid, second.pid);
      assert.deepEqual(await listenersOf(port), [second.pid]);

      const taken = await restart([b, "--take-over"], dir);
      assert.equal(taken.code, 0, taken.stderr);
      const third = await healthOf(port);
      started.push(third.pid);
      assert.notEqual(third.store, storeA);
      assert.ok(!alive(second.pid), "the old process left");
      assert.deepEqual(await listenersOf(port), [third.pid]);
    } finally {
      await first.stop();
      await stopAll(started);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "restart: paths in the config are read from its folder, whatever the working directory",
  ...E2E,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-restart-paths-" });
    const port = freePort();
    for (const sub of ["event", "elsewhere", "another"]) await Deno.mkdir(`${dir}/${sub}`);
    await Deno.copyFile(SAMPLE_FILE, `${dir}/event/base.json`);
    await Deno.writeTextFile(
      `${dir}/event/config.json`,
      JSON.stringify({ kv_path: "ptg.kv", base: "base.json", http_host: "127.0.0.1", http_port: port }),
    );
    // Started from one folder, restarted from another, both naming the config relatively.
    const first = await startBot(["../event/config.json"], `${dir}/elsewhere`);
    let next: number | undefined;
    try {
      const before = await healthOf(port);
      const done = await restart(["../event/config.json"], `${dir}/another`);
      assert.equal(done.code, 0, done.stderr);
      const after = await healthOf(port);
      next = after.pid;
      assert.equal(after.store, before.store, "the same store");
      assert.notEqual(after.pid, before.pid);
      await Deno.stat(`${dir}/event/ptg.kv`);
      await Deno.stat(`${dir}/event/ptgbot.log`);
      for (const sub of ["elsewhere", "another"]) {
        assert.deepEqual(await Array.fromAsync(Deno.readDir(`${dir}/${sub}`)), [], `${sub} stays empty`);
      }
      const doc = await (await fetch(`http://127.0.0.1:${port}/ptg.json`)).json();
      assert.ok(doc.tracks.length > 0, "the base event (base.json next to the config) was loaded");
    } finally {
      await first.stop();
      if (next) await stopAll([next]);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
