/**
 * `ptgbot restart CONFIG` with IRC (ngircd): success is reported only once
 * the new process leads and is in the channel. A new process that cannot
 * join (the server's certificate is self-signed, so it is refused) fails
 * the restart: it is stopped, and the old process serves on, leads again
 * and is back in the channel; exactly one process holds the port.
 */
import assert from "node:assert/strict";
import { healthOf, startBot } from "../helpers/process.ts";
import { freePort, startIrcServer, TestClient } from "../helpers/irc.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";
import { listenersOf } from "../../lib/app/listeners.ts";
import { alive, oneLine, restart, stopAll } from "../helpers/restart.ts";
import { E2E } from "../helpers/e2e.ts";

const CHANNEL = "#ptg";

interface Health {
  pid: number;
  leader: boolean;
  irc: string;
}

function botJoins(watcher: TestClient): number {
  return watcher.raw.filter((l) => /^:ptgbot!\S+ JOIN :?#ptg/.test(l)).length;
}

async function writeConfig(path: string, port: number, irc: { port: number; tls: boolean }): Promise<void> {
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      irc_nick: "ptgbot",
      irc_server: "127.0.0.1",
      irc_port: irc.port,
      irc_tls: irc.tls,
      irc_channel: CHANNEL,
      kv_path: "shared.kv",
      base: SAMPLE_FILE,
      http_host: "127.0.0.1",
      http_port: port,
      lease_ms: 2000,
    }),
  );
}

Deno.test({
  name: "restart with IRC: a new process that cannot join fails the restart and the old one leads on",
  ...E2E,
  fn: async () => {
    const irc = await startIrcServer({ tls: true });
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-restart-irc-" });
    const port = freePort();
    const config = `${dir}/config.json`;
    await writeConfig(config, port, { port: irc.port, tls: false });
    const watcher = await TestClient.connect(irc.port, "watcher", CHANNEL);
    const first = await startBot([config], dir);
    let next: number | undefined;
    try {
      await watcher.until(() => botJoins(watcher) >= 1);

      // The same event, now over TLS to a server whose certificate cannot be verified.
      await writeConfig(config, port, { port: irc.tlsPort!, tls: true });
      const failed = await restart([config, "--timeout=10"], dir);
      assert.notEqual(failed.code, 0);
      assert.equal(failed.stdout, "");
      const line = oneLine(failed.stderr);
      assert.match(line, /^restart: the new process \d+ was not in #ptg within [\d.]+ s \(irc: connecting\)/);
      assert.match(line, /: irc: .*certificate/, "the new process's last lines say why");
      assert.match(line, new RegExp(`; process ${first.proc.pid} serves on and leads again`));
      const failedPid = Number(/new process (\d+)/.exec(line)![1]);
      assert.ok(!alive(failedPid), "the new process is gone");
      const h = await healthOf(port) as unknown as Health;
      assert.equal(h.pid, first.proc.pid);
      assert.equal(h.leader, true);
      await watcher.until(() => botJoins(watcher) >= 2, 15_000); // back in the channel
      assert.deepEqual(await listenersOf(port), [first.proc.pid]);

      // Back to the plain port: the restart succeeds only once the new one is in the channel.
      await writeConfig(config, port, { port: irc.port, tls: false });
      const done = await restart([config], dir);
      assert.equal(done.code, 0, done.stderr);
      assert.match(oneLine(done.stdout), /^restart: process \d+ serves .*, leads and is in #ptg after/);
      const now = await healthOf(port) as unknown as Health;
      next = now.pid;
      assert.notEqual(now.pid, first.proc.pid);
      assert.equal(now.leader, true);
      assert.equal(now.irc, "joined");
      assert.equal((await first.proc.status).code, 0);
      assert.deepEqual(await listenersOf(port), [now.pid]);
      const since = watcher.messages.length;
      await watcher.say(CHANNEL, "+in #nova");
      assert.equal((await watcher.next("ptgbot", since)).text, "watcher: watcher checked in to #nova");
    } finally {
      watcher.close();
      await first.stop();
      if (next) await stopAll([next]);
      await irc.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
