/**
 * The bot on a network with services (InspIRCd 3 + Atheme, see
 * tests/helpers/services.ts): SASL PLAIN, NickServ IDENTIFY where SASL is
 * not loaded, a held nick taken back, account-keyed check-ins, impostors,
 * and registered-only channels. One network per group of tests, shared.
 */
import assert from "node:assert/strict";
import { ask, CHANNEL, startIrcBot, TestClient } from "../helpers/irc.ts";
import { passwordSends, type Services, startServices } from "../helpers/services.ts";
import { type Program, startProgram } from "../../lib/app/program.ts";
import { parseConfig } from "../../lib/app/config.ts";
import { NOW, SAMPLE_FILE } from "../helpers/fixtures.ts";
import { e2eTest, stopping } from "../helpers/e2e.ts";

const test = (name: string, fn: () => Promise<void>) => e2eTest(`services: ${name}`, fn);

const PASS = "bot-secret-pw-8c1e";

/** Starts the bot and waits for its one login line. */
async function bot(
  port: number,
  extra: Record<string, unknown>,
): Promise<{ program: Program; logs: string[]; login: string }> {
  const logs: string[] = [];
  const program = await startIrcBot(port, logs, { require_account: true, ...extra });
  const login = logs.filter((l) => /irc: (logged in|login failed)/.test(l));
  assert.equal(login.length, 1, logs.join("\n"));
  return { program, logs, login: login[0] };
}

/** Waits until `test` holds, without a fixed sleep: re-checks on a short timer up to `ms`. */
async function until(test: () => boolean, ms = 15_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let shared: Promise<Services> | undefined;
/** The full network (SASL, account extensions, WHOX), with the bot's and two people's accounts. */
function network(): Promise<Services> {
  return shared ??= (async () => {
    const s = await startServices();
    await Promise.all([
      s.register("ptgbot", PASS),
      s.register("alice", "alice-pw"),
      s.register("bob", "bob-pw"),
    ]);
    return s;
  })();
}

test("SASL PLAIN: logged in as the account, said in one line", async () => {
  const s = await network();
  const proxy = s.recorder();
  const { program, logs, login } = await bot(proxy.port, { irc_pass: PASS });
  try {
    assert.equal(login, "irc: logged in as ptgbot (SASL PLAIN)");
    assert.ok(logs.every((l) => !l.includes(PASS)));
    assert.equal(passwordSends(proxy.sent(), PASS), 1);
  } finally {
    await program.stop();
    proxy.close();
  }
});

test("SASL PLAIN with a wrong password: one line says so, the password went once and no IDENTIFY followed", async () => {
  const s = await network();
  const proxy = s.recorder();
  const wrong = "not-the-password-5d2";
  const { program, logs, login } = await bot(proxy.port, {
    irc_nick: "wrongbot",
    irc_account: "ptgbot",
    irc_pass: wrong,
  });
  try {
    assert.match(login, /^irc: login failed: SASL PLAIN refused for account ptgbot: .*; wrong password$/);
    assert.equal(passwordSends(proxy.sent(), wrong), 1);
    assert.ok(!proxy.sent().some((l) => /NickServ :IDENTIFY/i.test(l)), proxy.sent().join("\n"));
    assert.ok(logs.every((l) => !l.includes(wrong)));
    // A dropped link: the bot comes back, without the refused password.
    proxy.drop();
    await until(() => logs.filter((l) => l === "irc: joined #ptg").length === 2, 15_000, "rejoined");
    assert.ok(logs.includes("irc: not sending irc_pass again: services refused it; correct it and restart"));
    assert.equal(passwordSends(proxy.sent(), wrong), 1);
  } finally {
    await program.stop();
    proxy.close();
  }
});

test("SASL PLAIN for an account nobody registered: logged as no such account", async () => {
  const s = await network();
  const { program, login } = await bot(s.port, { irc_nick: "ghostbot", irc_pass: "whatever-pw" });
  await using _program = stopping(program);
  assert.match(
    login,
    /^irc: login failed: SASL PLAIN refused for account ghostbot: .*; no such account ghostbot$/,
  );
});

test("a held nick is taken back through NickServ once logged in", async () => {
  const s = await network();
  const ghost = await TestClient.connect(s.port, "ptgbot");
  const { program, logs, login } = await bot(s.port, { irc_pass: PASS });
  try {
    assert.equal(login, "irc: logged in as ptgbot (SASL PLAIN)");
    await until(() => program.irc!.nick === "ptgbot", 15_000, `the nick back; log:\n${logs.join("\n")}`);
    assert.ok(logs.includes("irc: ptgbot is held; taking it back through NickServ REGAIN"));
    // Atheme 7.2 has no REGAIN: the bot falls back to GHOST, then takes the freed nick.
    assert.ok(logs.includes("irc: NickServ has no REGAIN; trying GHOST"), logs.join("\n"));
    await ghost.until(() => ghost.raw.some((l) => /^ERROR /.test(l) || / KILL /.test(l)));
  } finally {
    ghost.close();
    await program.stop();
  }
});

test("check-ins follow the account across a nick change; an impostor is refused", async () => {
  const s = await network();
  const { program } = await bot(s.port, { irc_pass: PASS });
  const [alice, bob] = await Promise.all([
    s.identified("alice", "alice-pw", "alice", CHANNEL),
    TestClient.connect(s.port, "bob", CHANNEL),
  ]);
  try {
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
    await alice.send("NICK alice_lunch");
    await alice.until(() => alice.raw.some((l) => / NICK :?alice_lunch/.test(l)));
    alice.nick = "alice_lunch";
    assert.equal(await ask(alice, CHANNEL, "+out"), "alice_lunch: alice_lunch checked out of #nova");
    // bob is a registered account's nick, but this bob never identified.
    assert.equal(
      await ask(bob, CHANNEL, "+in #nova"),
      "bob: Please identify to services (NickServ) first: this bot knows people by their account",
    );
  } finally {
    alice.close();
    bob.close();
    await program.stop();
  }
});

test("account tags: someone identified before the bot joined is known by the account", async () => {
  const s = await network();
  const alice = await s.identified("alice", "alice-pw", "al", CHANNEL);
  const proxy = s.recorder();
  const { program } = await bot(proxy.port, { irc_pass: PASS });
  try {
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "al: al checked in to #nova");
    assert.ok(!proxy.sent().some((l) => /^WHOIS /i.test(l)), "no WHOIS needed");
  } finally {
    alice.close();
    await program.stop();
    proxy.close();
  }
});

test("SASL with services silent: aborted after a while, logged, and the bot joins unidentified", async () => {
  const s = await network();
  const logs: string[] = [];
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-irc-" });
  const config = parseConfig(JSON.stringify({
    irc_nick: "slowbot",
    irc_account: "ptgbot",
    irc_pass: PASS,
    irc_server: "127.0.0.1",
    irc_port: s.port,
    irc_tls: false,
    irc_channel: CHANNEL,
    kv_path: `${dir}/s.kv`,
    base: SAMPLE_FILE,
    http_port: 0,
  }));
  config.irc!.loginAnswerMs = 1000;
  s.freeze();
  let program: Program | undefined;
  try {
    program = await startProgram(config, { log: (l) => logs.push(l), now: () => NOW });
    await program.irc!.whenJoined();
    assert.deepEqual(
      logs.filter((l) => /irc: (logged in|login failed)/.test(l)),
      ["irc: login failed: no answer to SASL PLAIN (services down or slow)"],
    );
  } finally {
    s.thaw();
    await program?.stop();
  }
});
