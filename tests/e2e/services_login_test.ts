/**
 * Logging in where SASL is not loaded (NickServ IDENTIFY), with a client
 * certificate (SASL EXTERNAL, the real program over TLS as a child process),
 * and joining a channel open only to identified users (+R).
 */
import assert from "node:assert/strict";
import { ask, CHANNEL, startIrcBot, TestClient } from "../helpers/irc.ts";
import { fingerprint, passwordSends, type Services, startServices } from "../helpers/services.ts";
import { startBot, withConfig } from "../helpers/process.ts";
import { testCertificate } from "../helpers/tls.ts";
import { parseConfig } from "../../lib/app/config.ts";
import { startProgram } from "../../lib/app/program.ts";
import { NOW, SAMPLE_FILE } from "../helpers/fixtures.ts";
import { e2eTest, removing, stopping } from "../helpers/e2e.ts";

const test = (name: string, fn: () => Promise<void>) => e2eTest(`services login: ${name}`, fn);

const PASS = "bot-pw-ident-77";

let noSasl: Promise<Services> | undefined;
/** A network without m_sasl: NickServ is the only way in. */
function network(): Promise<Services> {
  return noSasl ??= (async () => {
    const s = await startServices({ sasl: false });
    await Promise.all([s.register("ptgbot", PASS), s.register("alice", "alice-pw")]);
    return s;
  })();
}

const loginLines = (logs: string[]) => logs.filter((l) => /irc: (logged in|login failed)/.test(l));

/** Starts the program on IRC without waiting for it to join; `answerMs` shortens the wait for services. */
async function startUnjoined(
  port: number,
  logs: string[],
  extra: Record<string, unknown>,
  answerMs?: number,
) {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-irc-" });
  const config = parseConfig(JSON.stringify({
    irc_server: "127.0.0.1",
    irc_port: port,
    irc_tls: false,
    irc_channel: CHANNEL,
    kv_path: `${dir}/s.kv`,
    base: SAMPLE_FILE,
    http_port: 0,
    ...extra,
  }));
  if (answerMs) config.irc!.loginAnswerMs = answerMs;
  return await startProgram(config, { log: (l) => logs.push(l), print: (l) => logs.push(l), now: () => NOW });
}

async function until(test: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("no SASL on the server: NickServ IDENTIFY, once, and the outcome in one line", async () => {
  const s = await network();
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { irc_pass: PASS, require_account: true });
  const alice = await s.identified("alice", "alice-pw", "alice", CHANNEL);
  try {
    assert.deepEqual(loginLines(logs), ["irc: logged in as ptgbot (NickServ IDENTIFY)"]);
    assert.equal(passwordSends(proxy.sent(), PASS), 1);
    assert.ok(!proxy.sent().some((l) => l.startsWith("AUTHENTICATE")));
    assert.ok(logs.every((l) => !l.includes(PASS)));
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
  } finally {
    alice.close();
    await program.stop();
    proxy.close();
  }
});

test("no SASL, wrong password: NickServ's refusal logged once, the password sent once", async () => {
  const s = await network();
  const proxy = s.recorder();
  const logs: string[] = [];
  const wrong = "wrong-ident-pw-19";
  const program = await startIrcBot(proxy.port, logs, {
    irc_nick: "otherbot",
    irc_account: "ptgbot",
    irc_pass: wrong,
  });
  try {
    assert.deepEqual(loginLines(logs), [
      "irc: login failed: NickServ IDENTIFY refused: wrong password for account ptgbot",
    ]);
    assert.equal(passwordSends(proxy.sent(), wrong), 1);
    assert.ok(logs.every((l) => !l.includes(wrong)));
  } finally {
    await program.stop();
    proxy.close();
  }
});

test("a registered-only channel (+R): joined after login; refused joins are retried", async () => {
  const s = await network();
  const op = await s.identified("alice", "alice-pw", "opal", CHANNEL);
  await op.send(`MODE ${CHANNEL} +R`);
  await op.until(() => op.raw.some((l) => / MODE #ptg :?\+R/.test(l)));
  const logs: string[] = [];
  const program = await startIrcBot(s.port, logs, { irc_pass: PASS });
  // A second bot without an account: refused (477), it tries again until the channel lets it in.
  const anonLogs: string[] = [];
  const anon = await startUnjoined(s.port, anonLogs, { irc_nick: "anonbot" });
  try {
    assert.ok(!logs.some((l) => /refused the bot/.test(l)), logs.join("\n"));
    assert.ok(logs.includes(`irc: joined ${CHANNEL}`));
    await until(
      () => anonLogs.some((l) => /#ptg refused the bot \(.*\); trying again in 2 s/.test(l)),
      "477",
    );
    assert.equal(anon.irc!.joined, false);
    await op.send(`MODE ${CHANNEL} -R`);
    await anon.irc!.whenJoined();
    assert.equal(
      await ask(op, CHANNEL, "#help", "anonbot"),
      `opal: ptgbot commands are explained at http://127.0.0.1:${anon.addr.port}/ptg.html#help`,
    );
  } finally {
    op.close();
    await anon.stop();
    await program.stop();
  }
});

test("SASL EXTERNAL: a certificate registered with NickServ CERT ADD logs the bot in over TLS", async () => {
  const s = await startServices({ tls: true });
  const certs = await Deno.makeTempDir({ prefix: "ptgbot-client-cert-" });
  const stranger = await Deno.makeTempDir({ prefix: "ptgbot-client-cert-" });
  const run = async (files: Record<string, string>) => {
    const { dir: cwd, path } = await withConfig({
      irc_nick: "ptgbot",
      irc_server: "localhost",
      irc_port: s.tlsPort,
      irc_tls: true,
      irc_channel: CHANNEL,
      ...files,
    });
    return await startBot([path], cwd, undefined, [], { DENO_CERT: s.caFile! });
  };
  try {
    await Promise.all([testCertificate(certs, false), testCertificate(stranger, false)]);
    await s.register("ptgbot", "unused-pw-4", [await fingerprint(`${certs}/cert.pem`)]);
    // One file holding certificate and key (irc_key_file left out), readable by others; and two files.
    await Deno.writeTextFile(
      `${certs}/both.pem`,
      (await Deno.readTextFile(`${certs}/cert.pem`)) + (await Deno.readTextFile(`${certs}/key.pem`)),
    );
    await Deno.chmod(`${certs}/both.pem`, 0o644);
    const bot = await run({ irc_cert_file: `${certs}/both.pem` });
    try {
      assert.equal(
        await bot.waitFor(/irc: (logged in|login failed)/),
        "irc: logged in as ptgbot (SASL EXTERNAL)",
      );
      await bot.waitFor(/irc: joined #ptg/);
      assert.ok(
        bot.output.includes(
          "irc: the client certificate's key may be read by other users (mode 644); chmod 600 it",
        ),
        bot.output.join("\n"),
      );
    } finally {
      await bot.stop();
    }
    const other = await run({ irc_cert_file: `${stranger}/cert.pem`, irc_key_file: `${stranger}/key.pem` });
    await using _other = stopping(other);
    assert.match(
      await other.waitFor(/irc: (logged in|login failed)/),
      /^irc: login failed: SASL EXTERNAL refused: the certificate is on no account/,
    );
  } finally {
    await s.stop();
    for (const d of [certs, stranger]) await Deno.remove(d, { recursive: true });
  }
});

test("services answering late: the bot goes on, is refused by +R, and joins once services log it in", async () => {
  const s = await network();
  const op = await s.identified("alice", "alice-pw", "opal", CHANNEL);
  await op.send(`MODE ${CHANNEL} +R`);
  await op.until(() => op.raw.some((l) => / MODE #ptg :?\+R/.test(l)));
  const proxy = s.recorder();
  const logs: string[] = [];
  s.freeze();
  let thawed = false;
  const program = await startUnjoined(proxy.port, logs, { irc_nick: "ptgbot", irc_pass: PASS }, 1000);
  try {
    await until(() => logs.some((l) => /#ptg refused the bot/.test(l)), "a refused join");
    assert.deepEqual(loginLines(logs), ["irc: login failed: NickServ did not answer IDENTIFY"]);
    s.thaw();
    thawed = true;
    await program.irc!.whenJoined();
    assert.deepEqual(loginLines(logs), [
      "irc: login failed: NickServ did not answer IDENTIFY",
      "irc: logged in as ptgbot (services answered late)",
    ]);
    assert.equal(passwordSends(proxy.sent(), PASS), 1);
  } finally {
    if (!thawed) s.thaw();
    op.close();
    await program.stop();
    proxy.close();
  }
});

test("a certificate where the server offers SASL but not EXTERNAL: said so, nothing else tried", async () => {
  const s = await startServices({ external: false });
  const certs = await Deno.makeTempDir({ prefix: "ptgbot-client-cert-" });
  const proxy = s.recorder();
  const logs: string[] = [];
  try {
    await testCertificate(certs, false);
    const program = await startIrcBot(proxy.port, logs, {
      irc_cert_file: `${certs}/cert.pem`,
      irc_key_file: `${certs}/key.pem`,
      irc_pass: PASS,
    });
    await program.stop();
    assert.deepEqual(loginLines(logs), [
      "irc: login failed: SASL EXTERNAL is not offered by the server (it offers PLAIN)",
    ]);
    assert.equal(passwordSends(proxy.sent(), PASS), 0, "the certificate was the login asked for");
  } finally {
    proxy.close();
    await s.stop();
    await Deno.remove(certs, { recursive: true });
  }
});

test("no SASL, a certificate (OFTC's way): services recognise it on connect and the bot waits for that", async () => {
  const s = await startServices({ tls: true, sasl: false });
  const certs = await Deno.makeTempDir({ prefix: "ptgbot-client-cert-" });
  await using _certs = removing(certs);
  await using _s = stopping(s);
  await testCertificate(certs, false);
  await s.register("ptgbot", "unused-pw-5", [await fingerprint(`${certs}/cert.pem`)]);
  const { dir: cwd, path } = await withConfig({
    irc_nick: "ptgbot",
    irc_server: "localhost",
    irc_port: s.tlsPort,
    irc_tls: true,
    irc_channel: CHANNEL,
    irc_cert_file: `${certs}/cert.pem`,
    irc_key_file: `${certs}/key.pem`,
  });
  const bot = await startBot([path], cwd, undefined, [], { DENO_CERT: s.caFile! });
  await using _bot = stopping(bot);
  assert.equal(
    await bot.waitFor(/irc: (logged in|login failed)/),
    "irc: logged in as ptgbot (services, by certificate)",
  );
  await bot.waitFor(/irc: joined #ptg/);
});

test("no SASL and the nick held: IDENTIFY names the account, then the nick is taken back", async () => {
  const s = await network();
  const ghost = await TestClient.connect(s.serverPort, "ptgbot");
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { irc_pass: PASS });
  try {
    assert.deepEqual(loginLines(logs), ["irc: logged in as ptgbot (NickServ IDENTIFY)"]);
    assert.ok(proxy.sent().includes(`PRIVMSG NickServ :IDENTIFY ptgbot ${PASS}`), proxy.sent().join("\n"));
    await until(() => program.irc!.nick === "ptgbot", "the nick back");
    assert.equal(passwordSends(proxy.sent(), PASS), 1);
  } finally {
    ghost.close();
    await program.stop();
    proxy.close();
  }
});
