/**
 * Two stores, one port: a process of another event is refused with one line
 * and exit code 2, `--take-over` shares the port anyway, and a process of the
 * same store (a successor) still starts. Same-store hand-over under load is
 * handover_test.ts's.
 */
import assert from "node:assert/strict";
import { type Bot, eventConfig, healthOf, MAIN, startBot } from "../helpers/process.ts";
import { freePort } from "../helpers/irc.ts";
import { E2E, OPEN_RESOURCES, removing } from "../helpers/e2e.ts";

Deno.test({
  name: "port guard: another store's process is refused, --take-over and a successor of the same store start",
  ...E2E,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-guard-" });
    const port = freePort();
    const a = await eventConfig(dir, "a", port);
    const b = await eventConfig(dir, "b", port);
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

Deno.test({
  name:
    "port guard: a port held by another web server is refused with what answers there; a free one is free",
  ...OPEN_RESOURCES,
  fn: async () => {
    const { guardPort, probePort, PortRefused } = await import("../../lib/app/port_guard.ts");
    const port = freePort();
    assert.deepEqual(await probePort("127.0.0.1", port), { kind: "free" });
    await guardPort("127.0.0.1", port, "any", false); // nothing there: no refusal
    for (
      const [answer, what] of [
        [() => new Response("hello"), /another web server \(\/healthz: 200\)/],
        [() => Response.redirect("https://ptg.example.org/healthz", 308), /redirects \/healthz to https:/],
        [() => Response.json({ ok: true, pid: 1 }), /ptgbot process 1 of an unknown store/],
      ] as const
    ) {
      const server = Deno.serve({ hostname: "127.0.0.1", port, reusePort: true, onListen: () => {} }, answer);
      try {
        const refused = await guardPort("0.0.0.0", port, "mine", false).then(() => undefined, (e) => e);
        assert.ok(refused instanceof PortRefused, String(refused));
        assert.match(refused.message, what);
        assert.doesNotMatch(refused.message, /\n/);
        await guardPort("0.0.0.0", port, "mine", true); // --take-over
      } finally {
        await server.shutdown();
      }
    }
  },
});

Deno.test("port guard: --port takes a port number or refuses with one line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-guard-" });
  await using _dir = removing(dir);
  for (const bad of ["x", "70000", "8o", "-1"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--port", bad],
      cwd: dir,
      stdin: "null",
    }).output();
    assert.equal(out.code, 2, bad);
    const stderr = new TextDecoder().decode(out.stderr);
    if (bad === "-1") {
      assert.match(stderr, /^ptgbot: Option '--port' argument is ambiguous\. \(see --help\)\n$/);
    } else assert.equal(stderr, `ptgbot: --port ${bad}: not a port number\n`);
  }
});

Deno.test({
  name: "port guard: --take-over onto a port another program holds without sharing ends with one line",
  ...OPEN_RESOURCES,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-guard-" });
    const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 }); // no reusePort: the port cannot be shared
    const port = (holder.addr as Deno.NetAddr).port;
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, await eventConfig(dir, "a", port), "--take-over"],
        cwd: dir,
        stdin: "null",
      }).output();
      assert.equal(out.code, 2);
      assert.equal(
        new TextDecoder().decode(out.stderr),
        `ptgbot: cannot listen on 127.0.0.1:${port}: another program holds it\n`,
      );
    } finally {
      holder.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
