/**
 * Faults that must not lose an acknowledged change or stop the program:
 * kill -9 in the middle of a burst, a KV directory that turns read-only,
 * and abusive HTTP clients.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/app/config.ts";
import { NOT_SAVED, Runner } from "../../lib/app/runner.ts";
import { startProgram } from "../../lib/app/program.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { CTX, NOW, OP, SAMPLE_FILE, sampleState, stateProblems, texts } from "../helpers/fixtures.ts";
import { startBot, withConfig } from "../helpers/process.ts";
import { E2E, OPEN_RESOURCES, stopping } from "../helpers/e2e.ts";

const KILLS = Number(Deno.env.get("PTGBOT_KILLS") ?? "5");

Deno.test({
  name: `faults: kill -9 at random moments of a burst (${KILLS} times): every acknowledged command survives`,
  ...OPEN_RESOURCES,
  fn: async () => {
    const { dir, path } = await withConfig({ console: true });
    const acked = new Set<string>();
    let sent = 0;
    for (let round = 0; round < KILLS; round++) {
      const bot = await startBot([path], dir);
      // The state left by the last kill is valid and holds everything acknowledged.
      const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
      for (const t of acked) assert.ok(doc.tracks.includes(t), `acknowledged ~add ${t} lost`);
      const stop = Date.now() + 150 + Math.random() * 600;
      while (Date.now() < stop) {
        const name = `k${sent++}`;
        await bot.send(`~add ${name}`);
        if (sent % 5 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      bot.proc.kill("SIGKILL");
      await bot.proc.status;
      for (const line of bot.output) {
        const m = /^Added (k\d+)$/.exec(line);
        if (m) acked.add(m[1]);
      }
    }
    const bot = await startBot([path], dir);
    await using _bot = stopping(bot);
    const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
    for (const t of acked) assert.ok(doc.tracks.includes(t), `acknowledged ~add ${t} lost`);
    assert.ok(acked.size > KILLS * 5, `only ${acked.size} acknowledged`);
    const sorted = [...doc.tracks].sort();
    assert.deepEqual(doc.tracks, sorted);
  },
});

const sh = (cmd: string) => new Deno.Command("sh", { args: ["-c", cmd], stderr: "null" }).output();

/** True when files here can be made immutable (chattr +i: even root cannot write them). */
async function canFreeze(dir: string): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  await Deno.writeTextFile(`${dir}/probe`, "x");
  const ok = (await sh(`chattr +i '${dir}/probe'`).catch(() => undefined))?.success ?? false;
  await sh(`chattr -i '${dir}/probe'`);
  await Deno.remove(`${dir}/probe`);
  return ok;
}

const roDir = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "ptgbot-ro-" }).catch(() =>
  Deno.makeTempDir()
);
const freezable = await canFreeze(roDir);

Deno.test({
  name: "faults: the KV directory turns read-only: commands are refused, the bot stays up, and recovers",
  // Needs a file system with immutable files (ext4, xfs); permissions alone do not stop root.
  ignore: !freezable,
  fn: async () => {
    const dir = roDir;
    // The database, its log and the directory refuse writes; reads go on.
    const files = `'${dir}/s.kv' '${dir}/s.kv-wal' '${dir}'`;
    try {
      const store = await KvStore.open(`${dir}/s.kv`);
      await store.replace(sampleState());
      const runner = new Runner(store, CTX, () => Promise.reject(new Error("no fetch")), () => {});
      assert.deepEqual(texts(await runner.run(OP, "~add before")), ["Added before"]);
      assert.ok((await sh(`chattr +i ${files}`)).success);
      assert.deepEqual(texts(await runner.run(OP, "~add during")), [NOT_SAVED]);
      assert.deepEqual(texts(await runner.run(OP, "#nova now During")), [NOT_SAVED]);
      assert.ok(!store.state.tracks.includes("during"), "the snapshot shows only what was saved");
      assert.equal(store.state.now.nova, undefined);
      // Commands that change nothing still answer.
      assert.deepEqual(texts(await runner.run(OP, "+seen nobody")), ["nobody never checked in"]);
      assert.ok((await sh(`chattr -i ${files}`)).success);
      assert.deepEqual(texts(await runner.run(OP, "~add after")), ["Added after"]);
      await store.close();
      const reopened = await KvStore.open(`${dir}/s.kv`);
      assert.ok(reopened.state.tracks.includes("before") && reopened.state.tracks.includes("after"));
      assert.ok(!reopened.state.tracks.includes("during"));
      assert.deepEqual(stateProblems(reopened.state), []);
      await reopened.close();
    } finally {
      await sh(`chattr -i ${files}`);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "faults: what is served is what was saved: a refused commit never shows, however requests race it",
  ignore: !freezable,
  ...E2E,
  fn: async () => {
    // Beside the read-only test's directory, on the same (freezable) file system.
    const dir = await Deno.makeTempDir({ dir: roDir.replace(/\/[^/]+$/, ""), prefix: "ptgbot-served-" });
    const out = await Deno.makeTempDir({ prefix: "ptgbot-served-" });
    const files = `'${dir}/s.kv' '${dir}/s.kv-wal' '${dir}'`;
    const program = await startProgram(
      parseConfig(JSON.stringify({
        kv_path: `${dir}/s.kv`,
        base: SAMPLE_FILE,
        db_filename: `${out}/ptg.json`,
        http_host: "127.0.0.1",
        http_port: 0,
        timezone: "UTC",
      })),
      { log: () => {}, now: () => NOW },
    );
    const base = `http://127.0.0.1:${program.addr.port}`;
    const seen = { responses: 0, refused: 0 };
    const look = (text: string) => {
      seen.responses++;
      if (text.includes("Refused-")) seen.refused++;
    };
    try {
      for (let round = 0; round < 18; round++) {
        // A saved change first, so nothing built before this round is still cached.
        assert.deepEqual(texts(await program.runner.run(OP, `#qa next Saved-${round}`)), [
          `#qa next: Saved-${round}`,
        ]);
        assert.ok((await sh(`chattr +i ${files}`)).success);
        let reading = true;
        const readers = Array.from({ length: 4 }, async () => {
          while (reading) {
            for (const path of ["/ptg.json", "/ptg.ics", "/nova.ics"]) {
              look(
                await (await fetch(`${base}${path}`, { headers: { "accept-encoding": "identity" } })).text(),
              );
            }
          }
        });
        const replies = await Promise.all([
          program.runner.run(OP, `#nova now Refused-${round}`),
          program.runner.run(OP, `~add refused-${round}`),
        ]);
        for (const r of replies) assert.deepEqual(texts(r), [NOT_SAVED]);
        // Requests after the refusal, too: nothing built during the commit may stay served.
        await new Promise((r) => setTimeout(r, 20));
        reading = false;
        await Promise.all(readers);
        look(await (await fetch(`${base}/ptg.json`)).text());
        look(await Deno.readTextFile(`${out}/ptg.json`));
        assert.ok((await sh(`chattr -i ${files}`)).success);
      }
      assert.ok(seen.responses > 100, `only ${seen.responses} responses`);
      assert.equal(seen.refused, 0, `${seen.refused} of ${seen.responses} responses showed a refused change`);
      assert.equal(program.store.state.now.nova, undefined);
      assert.deepEqual(program.store.state.next.qa.slice(-1), ["Saved-17"]);
    } finally {
      await sh(`chattr -i ${files}`);
      await program.stop();
      for (const d of [out, dir]) await Deno.remove(d, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "faults: slow, half-open and oversized HTTP clients do not stop normal requests",
  ...E2E,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-http-" });
    const program = await startProgram(parseConfig(JSON.stringify({
      kv_path: `${dir}/s.kv`,
      http_host: "127.0.0.1",
      http_port: 0,
    })));
    const port = program.addr.port;
    const base = `http://127.0.0.1:${port}`;
    const conns: Deno.TcpConn[] = [];
    const enc = new TextEncoder();
    try {
      // 300 slow clients that never finish their headers, 200 that connect and say nothing.
      for (let i = 0; i < 300; i++) {
        const c = await Deno.connect({ hostname: "127.0.0.1", port });
        await c.write(enc.encode("GET /ptg.json HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        conns.push(c);
      }
      for (let i = 0; i < 200; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
      // 500 live streams.
      const streams = await Promise.all(Array.from({ length: 500 }, () => fetch(`${base}/events`)));
      const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      const timed = async (url: string, init: RequestInit = {}) => {
        const t0 = performance.now();
        const res = await fetch(url, { ...init, client: fresh });
        await res.body?.cancel();
        return { status: res.status, ms: performance.now() - t0 };
      };
      for (const r of [await timed(`${base}/ptg.json`), await timed(`${base}/`)]) {
        assert.equal(r.status, 200);
        assert.ok(r.ms < 1000, `took ${r.ms} ms`);
      }
      // Huge headers and URLs get a refusal, not a hang; path tricks get a 404.
      const raw = async (request: string) => {
        const c = await Deno.connect({ hostname: "127.0.0.1", port });
        try {
          await c.write(enc.encode(request)).catch(() => {});
          const buf = new Uint8Array(512);
          const n = await Promise.race([
            c.read(buf),
            new Promise<null>((r) => setTimeout(() => r(null), 5000)),
          ]);
          return n ? new TextDecoder().decode(buf.subarray(0, n)) : "";
        } catch {
          return "(reset)";
        } finally {
          c.close();
        }
      };
      const hugeHeader = await raw(
        `GET /ptg.json HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(200_000)}\r\n\r\n`,
      );
      assert.ok(!hugeHeader.startsWith("HTTP/1.1 200"), hugeHeader.slice(0, 40));
      const hugeUrl = await raw(`GET /${"a".repeat(200_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.ok(!hugeUrl.startsWith("HTTP/1.1 200"), hugeUrl.slice(0, 40));
      for (
        const path of [
          "/../../etc/passwd",
          "/%2e%2e/%2e%2e/etc/passwd",
          "/assets/..%2fmain.ts",
          "//ptg.json",
          "/ptg.json%00",
        ]
      ) {
        const res = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        assert.match(res, /^HTTP\/1\.1 (404|400)/, path);
      }
      assert.equal((await timed(`${base}/healthz`)).status, 200);
      for (const s of streams) await s.body?.cancel();
      fresh.close();
    } finally {
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await program.stop();
    }
  },
});
