/**
 * Two processes on one port and one KV file: the second serves at once, the
 * first stops without a failed request, and IRC passes to the second through
 * the lease; after a SIGKILL the lease expires and the other one takes over.
 */
import assert from "node:assert/strict";
import { type Bot, startBot } from "../helpers/process.ts";
import { CHANNEL, freePort, startIrcServer, TestClient, writeIrcConfig } from "../helpers/irc.ts";
import { E2E } from "../helpers/e2e.ts";

/** An IRC server, a shared directory and port with a config for both processes, and a watcher in the channel. */
async function setup() {
  const irc = await startIrcServer();
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-handover-" });
  const port = freePort();
  const path = await writeIrcConfig(irc.port, dir, {
    http_port: port,
    lease_ms: 2000,
    send_interval_ms: 300,
  });
  const watcher = await TestClient.connect(irc.port, "watcher", CHANNEL);
  return { irc, dir, port, path, watcher };
}

/** How often the bot has joined the channel, as the watcher saw it. */
function botJoins(watcher: TestClient): number {
  return watcher.raw.filter((l) => /^:ptgbot!\S+ JOIN :?#ptg/.test(l)).length;
}

async function health(port: number, client?: Deno.HttpClient): Promise<{ pid: number; leader: boolean }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { client });
  return await res.json();
}

/** Requests in a loop until stopped: a keep-alive client and a probe on fresh connections. */
function traffic(port: number) {
  let running = true;
  const stats = { ok: 0, failed: 0, errors: [] as string[] };
  const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const loop = async (client?: Deno.HttpClient) => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ptg.json`, { client });
        const body = await res.text();
        if (res.status !== 200 || !body.endsWith("}")) {
          throw new Error(`status ${res.status}, ${body.length} bytes`);
        }
        stats.ok++;
      } catch (e) {
        stats.failed++;
        stats.errors.push(`${client ? "fresh connection" : "keep-alive"}: ${e}`);
      }
    }
  };
  // Fresh connections back to back: the kind a stopping process used to cut.
  const loops = [loop(), loop(), loop(fresh), loop(fresh)];
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      fresh.close();
    },
  };
}

async function leaderOf(port: number, pids: number[], timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    while (Date.now() < until) {
      const h = await health(port, fresh).catch(() => undefined);
      if (h?.leader && pids.includes(h.pid)) return h.pid;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    fresh.close();
  }
  throw new Error("no leader");
}

Deno.test({
  name: "hand-over: a second process takes the port and IRC while requests keep flowing",
  ...E2E,
  fn: async () => {
    const { irc, dir, port, path, watcher } = await setup();
    let first: Bot | undefined, second: Bot | undefined;
    try {
      first = await startBot([path], dir);
      await watcher.until(() => botJoins(watcher) >= 1);
      const load = traffic(port);
      second = await startBot([path], dir);
      // Both listen on the port now, but new connections go to the newest.
      const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      const pids = new Set<number>();
      for (let i = 0; i < 20; i++) pids.add((await health(port, fresh)).pid);
      fresh.close();
      assert.deepEqual([...pids], [second.proc.pid]);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      const status = await first.stop();
      assert.equal(status.code, 0);
      const stopped = Date.now();
      const leader = await leaderOf(port, [second.proc.pid], 5000);
      assert.equal(leader, second.proc.pid);
      await watcher.until(() => botJoins(watcher) >= 2, 5000);
      const tookOver = Date.now() - stopped;
      assert.ok(tookOver < 2000, `IRC hand-over took ${tookOver} ms`);
      assert.ok(
        watcher.raw.some((l) => /^:ptgbot!\S+ QUIT :.*restarting or stopping/.test(l)),
        "old process sent QUIT",
      );
      await new Promise((r) => setTimeout(r, 300));
      await load.stop();
      assert.equal(load.stats.failed, 0, load.stats.errors.slice(0, 5).join("\n"));
      assert.ok(load.stats.ok > 50, `only ${load.stats.ok} requests in ${Date.now() - t0} ms`);
      // The new leader answers on IRC and writes to the shared state.
      const since = watcher.messages.length;
      await watcher.say(CHANNEL, "+in #nova");
      assert.equal((await watcher.next("ptgbot", since)).text, "watcher: watcher checked in to #nova");
    } finally {
      watcher.close();
      await first?.stop();
      await second?.stop();
      await irc.stop();
    }
  },
});

Deno.test({
  name: "hand-over: after a SIGKILL of the leader the other process takes the lease and joins IRC",
  ...E2E,
  fn: async () => {
    const { irc, dir, port, path, watcher } = await setup();
    let first: Bot | undefined, second: Bot | undefined;
    try {
      first = await startBot([path], dir);
      await watcher.until(() => botJoins(watcher) >= 1);
      second = await startBot([path], dir);
      // A change made through the first is seen by the second's page.
      const since = watcher.messages.length;
      await watcher.say(CHANNEL, "#nova now Before the crash");
      await watcher.next("ptgbot", since);
      first.proc.kill("SIGKILL");
      await first.proc.status;
      const killed = Date.now();
      const leader = await leaderOf(port, [second.proc.pid], 10_000);
      assert.equal(leader, second.proc.pid);
      await watcher.until(() => botJoins(watcher) >= 2, 30_000);
      const took = Date.now() - killed;
      assert.ok(took < 10_000, `take-over took ${took} ms`);
      const doc = await (await fetch(`http://127.0.0.1:${port}/ptg.json`)).json();
      assert.equal(doc.now.nova, "Before the crash");
    } finally {
      watcher.close();
      await second?.stop();
      await irc.stop();
    }
  },
});
