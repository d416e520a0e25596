/**
 * The bot on a real IRC server (ngircd), driven by scripted clients: an
 * operator, a voiced user and plain users.
 */
import assert from "node:assert/strict";
import type { Program } from "../lib/app/program.ts";
import { ask, CHANNEL, type IrcServer, startIrcBot, startIrcServer, TestClient } from "./irc_helpers.ts";

const logs: string[] = [];
const startBot = (server: IrcServer, extra: Record<string, unknown> = {}): Promise<Program> =>
  startIrcBot(server.port, logs, extra);

const test = (name: string, fn: (t: Deno.TestContext) => Promise<void>) =>
  Deno.test({ name: `irc: ${name}`, sanitizeOps: false, sanitizeResources: false, fn });

test("commands from the channel and in private, permissions and voice", async () => {
  const server = await startIrcServer();
  const olga = await TestClient.connect(server.port, "olga", CHANNEL); // first in: channel operator
  const bot = await startBot(server);
  const [vera, alice, bob] = await Promise.all(
    ["vera", "alice", "bob"].map((n) => TestClient.connect(server.port, n, CHANNEL)),
  );
  try {
    await olga.send(`MODE ${CHANNEL} +v vera`);
    await vera.until(() => vera.raw.some((l) => / MODE #ptg \+v vera/.test(l)));
    await new Promise((r) => setTimeout(r, 200)); // the bot sees the same MODE line

    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
    assert.match(
      await ask(alice, "ptgbot", "seen ALICE"),
      /^alice was last seen in #nova \(checked in at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, still there\)$/,
    );
    assert.equal(await ask(bob, "ptgbot", "#out"), "You are not checked in");
    assert.equal(
      await ask(olga, CHANNEL, "~list"),
      "olga: Tracks: cinder, docs, horizon, ironic, keystone, neutron, nova, qa, release, swift",
    );
    assert.equal(await ask(alice, CHANNEL, "~add octavia"), "alice: Need op for admin commands");
    assert.equal(await ask(vera, CHANNEL, "#nova now Cells v2"), "vera: #nova now: Cells v2");
    assert.equal(await ask(olga, CHANNEL, "~requirevoice"), "olga: Track commands now need voice (+v) or op");
    assert.equal(await ask(alice, CHANNEL, "#nova next Quotas"), "alice: Need voice to issue commands");
    assert.equal(await ask(vera, CHANNEL, "#nova next Quotas"), "vera: #nova next: Quotas");
    assert.equal(await ask(olga, CHANNEL, "#nova next Placement"), "olga: #nova next: Placement");
    assert.equal(await ask(olga, CHANNEL, "~alloweveryone"), "olga: Everyone may use track commands now");
    // Formatting codes are stripped; chatter gets no answer.
    await alice.say(CHANNEL, "hello everyone, +1 to that");
    assert.equal(
      await ask(alice, CHANNEL, "\x02+in\x02 \x0304,01#cinder\x0f"),
      "alice: alice checked in to #cinder",
    );
    assert.equal(
      await ask(alice, CHANNEL, "#help"),
      "alice: ptgbot commands are explained at http://127.0.0.1:0/ptg.html#help",
    );
    assert.deepEqual(bot.store.state.next.nova, ["Quotas", "Placement"]);
    // The bot's lines never carry CR/LF from user text (IRC would split them).
    assert.ok(alice.messages.every((m) => !/[\r\n\0]/.test(m.text)));
  } finally {
    for (const c of [olga, vera, alice, bob]) c.close();
    await bot.stop();
    await server.stop();
  }
});

test("a subscriber gets a private notification; a backtracking pattern does not slow the bot", async () => {
  const server = await startIrcServer();
  const olga = await TestClient.connect(server.port, "olga", CHANNEL);
  const bot = await startBot(server);
  const bob = await TestClient.connect(server.port, "bob", CHANNEL);
  const eve = await TestClient.connect(server.port, "eve", CHANNEL);
  try {
    assert.equal(
      await ask(bob, "ptgbot", "subscribe live.*MIGRATION"),
      "Subscribed to: live.*MIGRATION; matching now/next topics will come by private message",
    );
    assert.equal(
      await ask(eve, "ptgbot", "subscribe (a+)+$"),
      "Subscribed to: (a+)+$; matching now/next topics will come by private message",
    );
    const since = bob.messages.length;
    assert.equal(await ask(olga, CHANNEL, "#nova now Live migration"), "olga: #nova now: Live migration");
    const note = await bob.next("ptgbot", since, 15_000, (m) => m.target === "bob");
    assert.deepEqual(note, {
      from: "ptgbot",
      target: "bob",
      text: "#nova now Live migration (your subscription: live.*MIGRATION)",
    });
    const evil = `#nova now ${"a".repeat(300)}!`;
    const t0 = performance.now();
    assert.match(await ask(olga, CHANNEL, evil.slice(0, 310)), /^olga: Topic too long|^olga: #nova now: a+/);
    const topic = `${"a".repeat(250)}!`;
    assert.equal(await ask(olga, CHANNEL, `#nova now ${topic}`), `olga: #nova now: ${topic}`);
    assert.ok(performance.now() - t0 < 5000, "the bot kept answering");
    assert.equal(bot.store.state.now.nova, topic);
  } finally {
    for (const c of [olga, bob, eve]) c.close();
    await bot.stop();
    await server.stop();
  }
});

test("100 commands back to back from several users: all applied, replies in order, no flood kick", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server, { user_burst: 50 });
  const users = await Promise.all(
    ["u1", "u2", "u3", "u4"].map((n) => TestClient.connect(server.port, n, CHANNEL)),
  );
  // Tracks with a room on Monday, so no reply carries the "no room today" note; next lists hold 20 at most,
  // so every other command is a check-in.
  const tracks = ["nova", "cinder", "keystone", "ironic"];
  try {
    const lines = users.map((u, i) =>
      Array.from(
        { length: 25 },
        (_, j) =>
          j % 2 === 0
            ? {
              line: `#${tracks[i]} next ${u.nick}-item-${j}`,
              reply: `${u.nick}: #${tracks[i]} next: ${u.nick}-item-${j}`,
            }
            : { line: `+in room-${j}`, reply: `${u.nick}: ${u.nick} checked in to room-${j}` },
      )
    );
    await Promise.all(users.map(async (u, i) => {
      for (const { line } of lines[i]) await u.say(CHANNEL, line);
    }));
    const mine = (u: TestClient) =>
      u.messages.filter((m) => m.from === "ptgbot" && m.text.startsWith(`${u.nick}: `)).map((m) => m.text);
    await Promise.all(users.map((u) => u.until(() => mine(u).length >= 25, 120_000)));
    users.forEach((u, i) => {
      assert.deepEqual(mine(u), lines[i].map((l) => l.reply));
      assert.deepEqual(
        bot.store.state.next[tracks[i]],
        Array.from({ length: 13 }, (_, k) => `${u.nick}-item-${2 * k}`),
      );
      assert.equal(bot.store.state.last_check_in[u.nick].location, "room-23");
    });
    assert.ok(bot.irc!.joined);
    assert.ok(!users[0].raw.some((l) => /QUIT.*(flood|Excess)/i.test(l) && l.startsWith(":ptgbot")));
  } finally {
    for (const u of users) u.close();
    await bot.stop();
    await server.stop();
  }
});

test("one user flooding is told to slow down; others are still served", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server, { user_burst: 3, user_interval_ms: 10_000 });
  const flood = await TestClient.connect(server.port, "flood", CHANNEL);
  const calm = await TestClient.connect(server.port, "calm", CHANNEL);
  try {
    for (let i = 0; i < 6; i++) await flood.say(CHANNEL, `+in room-${i}`);
    await flood.until(() => flood.messages.filter((m) => m.text.startsWith("flood: ")).length >= 4);
    assert.equal(await ask(calm, CHANNEL, "+in #qa"), "calm: calm checked in to #qa");
    const got = flood.messages.filter((m) => m.text.startsWith("flood: ")).map((m) => m.text);
    assert.deepEqual(got, [
      "flood: flood checked in to room-0",
      "flood: flood checked in to room-1",
      "flood: flood checked in to room-2",
      "flood: You are sending commands too fast; wait a few seconds",
    ]);
    assert.equal(bot.store.state.last_check_in.flood.location, "room-2");
  } finally {
    flood.close();
    calm.close();
    await bot.stop();
    await server.stop();
  }
});

test("the IRC server killed and restarted: the bot is back and answering within 15 s", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server);
  try {
    await server.stop();
    await new Promise((r) => setTimeout(r, 500));
    await server.restart();
    const t0 = performance.now();
    const olga = await TestClient.connect(server.port, "olga", CHANNEL);
    await bot.irc!.whenJoined();
    assert.equal(await ask(olga, CHANNEL, "+in #nova"), "olga: olga checked in to #nova");
    const took = performance.now() - t0;
    assert.ok(took < 15_000, `took ${took} ms`);
    olga.close();
    assert.ok(logs.some((l) => /irc: disconnected; reconnecting in \d+ ms/.test(l)));
  } finally {
    await bot.stop();
    await server.stop();
  }
});

test("nick taken at connect: the fallback nick answers, then the nick is taken back", async () => {
  const server = await startIrcServer();
  const squatter = await TestClient.connect(server.port, "ptgbot", CHANNEL);
  const bot = await startBot(server, { irc_fallback_nick: "ptgbot_" });
  const alice = await TestClient.connect(server.port, "alice", CHANNEL);
  try {
    assert.equal(bot.irc!.nick, "ptgbot_");
    assert.equal(await ask(alice, "ptgbot_", "seen bob", "ptgbot_"), "bob never checked in");
    await squatter.send("QUIT :bye");
    squatter.close();
    await alice.until(() => alice.raw.some((l) => /^:ptgbot_!\S+ NICK :?ptgbot$/.test(l)));
    assert.equal(bot.irc!.nick, "ptgbot");
    assert.equal(await ask(alice, "ptgbot", "seen carol"), "carol never checked in");
  } finally {
    alice.close();
    await bot.stop();
    await server.stop();
  }
});
