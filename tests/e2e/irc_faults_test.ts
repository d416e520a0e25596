/**
 * The IRC side under faults and abuse: hostile lines over a real server,
 * a route that turns into a black hole, and a password that never reaches
 * the logs.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Program } from "../../lib/app/program.ts";
import {
  ask,
  CHANNEL,
  type IrcServer,
  startIrcBot,
  startIrcServer,
  startProxy,
  TestClient,
} from "../helpers/irc.ts";
import { e2eTest } from "../helpers/e2e.ts";

/** The bot, with a per-user limit high enough for scripted floods. */
const startBot = (port: number, logs: string[], extra: Record<string, unknown> = {}): Promise<Program> =>
  startIrcBot(port, logs, { user_burst: 1000, ...extra });

const test = (name: string, fn: () => Promise<void>) => e2eTest(`irc faults: ${name}`, fn);

test("hostile lines over IRC (control codes, invalid UTF-8, markup, long lines) leave the bot answering", async () => {
  const server: IrcServer = await startIrcServer();
  const logs: string[] = [];
  const bot = await startBot(server.port, logs);
  const clients = await Promise.all(
    ["f1", "f2", "f3"].map((n) => TestClient.connect(server.port, n, CHANNEL)),
  );
  try {
    const pieces = fc.sample(
      fc.array(
        fc.oneof(
          fc.constantFrom(
            "+in",
            "#nova now",
            "#nova next",
            "+subscribe",
            "~add",
            "#nova color",
            "+seen",
            "#help",
          ),
          fc.string({ maxLength: 12 }),
          fc.constantFrom("\x02", "\x0304,12", "\x1d", "\x16", "<script>", "(a+)+$", "\u202e", "💥", "%s%n"),
        ),
        { maxLength: 12 },
      ),
      { numRuns: 60, seed: 42 },
    );
    await Promise.all(clients.map(async (c, i) => {
      for (const [j, words] of pieces.entries()) {
        if (j % clients.length !== i) continue;
        const text = words.join(" ").replace(/[\r\n\0]/g, " ").slice(0, 400);
        await c.say(j % 2 ? CHANNEL : "ptgbot", text || "+help");
      }
      // Bytes that are not UTF-8 at all, in a line IRC still frames.
      await c.sendBytes(
        new Uint8Array([
          ...new TextEncoder().encode(`PRIVMSG ${CHANNEL} :+in `),
          0xff,
          0xfe,
          0xc3,
          0x28,
          0x0d,
          0x0a,
        ]),
      );
    }));
    // After all that, ordinary commands still get their ordinary answers.
    const probe = await TestClient.connect(server.port, "probe", CHANNEL);
    assert.equal(await ask(probe, CHANNEL, "+in #nova"), "probe: probe checked in to #nova");
    assert.equal(await ask(probe, "ptgbot", "seen nobody-at-all"), "nobody-at-all never checked in");
    assert.ok(bot.irc!.joined);
    assert.ok(!logs.some((l) => /failed: /.test(l)), logs.filter((l) => /failed/.test(l)).join("\n"));
    probe.close();
  } finally {
    for (const c of clients) c.close();
    await bot.stop();
    await server.stop();
  }
});

test("a black-holed route: the bot notices, reconnects once it clears, and lost nothing", async () => {
  const server = await startIrcServer();
  const proxy = startProxy(server.port);
  const logs: string[] = [];
  const bot = await startBot(proxy.port, logs, { irc_ping_interval: 5, irc_ping_timeout: 8 });
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  try {
    assert.equal(
      await ask(alice, CHANNEL, "#nova now Before the outage"),
      "alice: #nova now: Before the outage",
    );
    proxy.blackhole(true);
    const t0 = Date.now();
    // Nothing answers: the bot must notice by itself (ping timeout), not by a closed socket.
    for (let i = 0; i < 200 && !logs.some((l) => /irc: disconnected/.test(l)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(logs.some((l) => /irc: disconnected/.test(l)), "the dead link was noticed");
    const noticed = Date.now() - t0;
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - noticed)));
    proxy.blackhole(false);
    const cleared = Date.now();
    await bot.irc!.whenJoined();
    assert.equal(
      await ask(alice, CHANNEL, "#nova next After the outage"),
      "alice: #nova next: After the outage",
    );
    const back = Date.now() - cleared;
    assert.ok(back < 70_000, `back after ${back} ms`);
    assert.equal(bot.store.state.now.nova, "Before the outage");
    assert.deepEqual(bot.store.state.next.nova, ["After the outage"]);
    assert.ok(noticed < 20_000, `noticed after ${noticed} ms`);
  } finally {
    alice.close();
    await bot.stop();
    proxy.close();
    await server.stop();
  }
});

test("the password never reaches the logs", async () => {
  const server = await startIrcServer();
  const logs: string[] = [];
  const secret = "s3cret-Passw0rd-xyz";
  const original = { log: console.log, error: console.error, warn: console.warn };
  for (const k of ["log", "error", "warn"] as const) {
    console[k] = (...a: unknown[]) => logs.push(a.map(String).join(" "));
  }
  let bot: Program | undefined;
  try {
    bot = await startBot(server.port, logs, { irc_pass: secret });
    const alice = await TestClient.connect(server.port, "alice", CHANNEL);
    assert.equal(await ask(alice, CHANNEL, "+in #qa"), "alice: alice checked in to #qa");
    alice.close();
    assert.ok(logs.length > 0);
    assert.ok(logs.every((l) => !l.includes(secret)), "password in the logs");
    const doc = await (await fetch(`http://127.0.0.1:${bot.addr.port}/ptg.json`)).text();
    assert.ok(!doc.includes(secret));
  } finally {
    Object.assign(console, original);
    await bot?.stop();
    await server.stop();
  }
});

test("the airbag: an unexpected error is logged with its stack, the channel gets a short apology", async () => {
  const server = await startIrcServer();
  const logs: string[] = [];
  const bot = await startBot(server.port, logs);
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  // Fault injection: the runner fails on one line as a bug would.
  const run = bot.runner.run.bind(bot.runner);
  bot.runner.run = (who, line) =>
    (typeof line === "string" ? line : line.text).includes("boom")
      ? Promise.reject(new Error("internal detail /secret/path"))
      : run(who, line);
  try {
    const reply = await ask(alice, CHANNEL, "+in boom");
    assert.equal(reply, "alice: Sorry, that command failed on our side; the error is logged");
    assert.ok(
      logs.some((l) => /command from alice failed: Error: internal detail/.test(l) && /at /.test(l)),
      "stack logged",
    );
    assert.ok(alice.messages.every((m) => !m.text.includes("secret")));
    assert.equal(await ask(alice, CHANNEL, "+in #qa"), "alice: alice checked in to #qa");
  } finally {
    alice.close();
    await bot.stop();
    await server.stop();
  }
});

test("require_account: people without a services account are told to identify, and nothing changes", async () => {
  const server = await startIrcServer();
  const logs: string[] = [];
  const bot = await startBot(server.port, logs, { require_account: true });
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  try {
    const identify = "Please identify to services (NickServ) first: this bot knows people by their account";
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), `alice: ${identify}`);
    assert.equal(await ask(alice, "ptgbot", "subscribe nova"), identify);
    assert.deepEqual(Object.keys(bot.store.state.last_check_in), []);
    assert.deepEqual(Object.keys(bot.store.state.subscriptions), []);
    // Chatter is still ignored, not answered; help needs no account.
    const since = alice.messages.length;
    await alice.say(CHANNEL, "just talking");
    assert.match(await ask(alice, CHANNEL, "#help"), /^alice: ptgbot commands are explained at /);
    assert.equal(alice.messages.slice(since).filter((m) => m.from === "ptgbot").length, 1);
  } finally {
    alice.close();
    await bot.stop();
    await server.stop();
  }
});
