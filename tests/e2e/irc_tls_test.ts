/** TLS to the IRC server: certificates are checked by default; a self-signed one is refused with a logged reason. */
import assert from "node:assert/strict";
import { ask, CHANNEL, startIrcBot, startIrcServer, TestClient } from "../helpers/irc.ts";
import { parseConfig } from "../../lib/app/config.ts";
import { startProgram } from "../../lib/app/program.ts";
import { startBot } from "../helpers/process.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";
import { e2eTest } from "../helpers/e2e.ts";

const test = (name: string, fn: () => Promise<void>) => e2eTest(`irc tls: ${name}`, fn);

Deno.test("irc tls: port 6697 means TLS with certificate checks unless the config says otherwise", () => {
  const irc = parseConfig(JSON.stringify({ irc_nick: "b", irc_server: "irc.example.org", irc_channel: "#e" }))
    .irc!;
  assert.deepEqual([irc.port, irc.tls, irc.tlsVerify], [6697, true, true]);
  const plain = parseConfig(
    JSON.stringify({ irc_nick: "b", irc_server: "x", irc_channel: "#e", irc_port: 6667 }),
  ).irc!;
  assert.equal(plain.tls, false);
});

test("a server with a self-signed certificate is refused, with the reason in the log", async () => {
  const server = await startIrcServer({ tls: true });
  const logs: string[] = [];
  const dir = await Deno.makeTempDir();
  const program = await startProgram(
    parseConfig(JSON.stringify({
      irc_nick: "ptgbot",
      irc_server: "localhost",
      irc_port: server.tlsPort,
      irc_tls: true,
      irc_channel: CHANNEL,
      kv_path: `${dir}/s.kv`,
      base: SAMPLE_FILE,
      http_port: 0,
    })),
    { log: (l) => logs.push(l) },
  );
  const watcher = await TestClient.connect(server.port, "watcher", CHANNEL);
  try {
    for (let i = 0; i < 50 && !logs.some((l) => /socket error: .*certificate/i.test(l)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(logs.some((l) => /socket error: .*certificate/i.test(l)), logs.join("\n"));
    assert.ok(logs.some((l) => /irc: connection failed; reconnecting/.test(l)));
    assert.equal(program.irc!.joined, false);
    assert.ok(!watcher.raw.some((l) => l.startsWith(":ptgbot!")));
  } finally {
    watcher.close();
    await program.stop();
    await server.stop();
  }
});

test("over TLS the bot connects and answers (certificate check turned off for this private server)", async () => {
  const server = await startIrcServer({ tls: true });
  const logs: string[] = [];
  const bot = await startIrcBot(server.tlsPort!, logs, {
    irc_server: "localhost",
    irc_tls: true,
    irc_tls_verify: false,
  });
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  try {
    assert.ok(logs.some((l) => /\(TLS, certificate NOT checked\)/.test(l)));
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
  } finally {
    alice.close();
    await bot.stop();
    await server.stop();
  }
});

test("with the certificate checked, a server signed by a trusted CA is joined and answers", async () => {
  const server = await startIrcServer({ tls: "ca" });
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      irc_nick: "ptgbot",
      irc_server: "localhost",
      irc_port: server.tlsPort,
      irc_tls: true,
      irc_channel: CHANNEL,
      kv_path: "s.kv",
      base: SAMPLE_FILE,
      http_host: "127.0.0.1",
      http_port: 0,
    }),
  );
  // The process trusts the test CA the way an organiser adds a private one: DENO_CERT.
  const bot = await startBot(["config.json"], dir, undefined, [], { DENO_CERT: server.caFile! });
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  try {
    await bot.waitFor(/irc: connecting to localhost:\d+ \(TLS\) as ptgbot/);
    await bot.waitFor(/irc: joined/, 20_000);
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
  } finally {
    alice.close();
    await bot.stop();
    await server.stop();
  }
});
