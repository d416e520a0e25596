/**
 * The bot on a real IRC server (ngircd), driven by scripted clients: an
 * operator, a voiced user and plain users.
 */
import assert from "node:assert/strict";
import type { Program } from "../../lib/app/program.ts";
import { cloneState, dict } from "../../lib/state/model.ts";
import { ask, CHANNEL, type IrcServer, startIrcBot, startIrcServer, TestClient } from "../helpers/irc.ts";
import { e2eTest, stopping } from "../helpers/e2e.ts";

const logs: string[] = [];
const startBot = (server: IrcServer, extra: Record<string, unknown> = {}): Promise<Program> =>
  startIrcBot(server.port, logs, extra);

const test = (name: string, fn: (t: Deno.TestContext) => Promise<void>) => e2eTest(`irc: ${name}`, fn);

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
      `alice: ptgbot commands are explained at http://127.0.0.1:${bot.addr.port}/ptg.html#help`,
    );
    assert.deepEqual(bot.store.state.next.nova, ["Quotas", "Placement"]);
    // CR, LF and NUL in stored text (commands cannot put them there, an
    // imported document could) must neither end the bot's IRC line early nor
    // smuggle in a line of their own.
    const state = cloneState(bot.store.state);
    state.last_check_in = dict({
      ...state.last_check_in,
      mallory: {
        nick: "mallory",
        location: "a\rb\nc\0d\r\nPRIVMSG alice :injected",
        in: "2027-04-12 09:00:00",
        out: null,
      },
    });
    await bot.store.replace(state);
    bot.runner.changed();
    const since = alice.raw.length;
    const seen = await ask(alice, "ptgbot", "seen mallory");
    // A second answer behind it: any piece of a broken first line comes before this one.
    assert.equal(await ask(alice, "ptgbot", "seen nobody"), "nobody never checked in");
    const sent = alice.raw.slice(since).filter((l) => l.startsWith(":ptgbot"));
    assert.equal(sent.length, 2, `one PRIVMSG per answer:\n${sent.join("\n")}`);
    assert.ok(sent.every((l) => / PRIVMSG alice :/.test(l) && !/[\r\n\0]/.test(l)), JSON.stringify(sent));
    assert.equal(
      seen,
      "mallory was last seen in a b c d PRIVMSG alice :injected (checked in at 2027-04-12 09:00:00, still there)",
    );
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
    // A notification is a NOTICE; answers to commands stay PRIVMSG.
    assert.deepEqual(note, {
      from: "ptgbot",
      target: "bob",
      text: "#nova now Live migration (your subscription: live.*MIGRATION)",
      notice: true,
    });
    const evil = `#nova now ${"a".repeat(300)}!`;
    const t0 = performance.now();
    // 300 characters is the most a topic may have: taken; one more is refused.
    assert.equal(await ask(olga, CHANNEL, evil.slice(0, 310)), `olga: #nova now: ${"a".repeat(300)}`);
    assert.equal(await ask(olga, CHANNEL, evil), "olga: Topic too long (301 characters, at most 300)");
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

/** Sends `lines` to the channel in one write, as a paste does. */
const paste = (client: TestClient, lines: string[]) =>
  client.send(lines.map((l) => `PRIVMSG ${CHANNEL} :${l}`).join("\r\n"));

/** The bot's channel answers to `client` so far, with when each arrived. */
function answersTo(client: TestClient, total: number, timeoutMs: number) {
  const got: { text: string; at: number }[] = [];
  let seen = 0;
  const done = client.until(() => {
    for (; seen < client.messages.length; seen++) {
      const m = client.messages[seen];
      if (m.from === "ptgbot" && m.text.startsWith(`${client.nick}: `)) {
        got.push({ text: m.text, at: performance.now() });
      }
    }
    return got.length >= total;
  }, timeoutMs);
  return { got, done };
}

// ngircd passes on about 3 lines a second of each client, so the pace here
// (3 at once, then one per 700 ms) is slower than the paste arrives: lines wait.
test("a paste of 15 lines waits its turn: 15 answers in order; another user is answered at once", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server, { user_burst: 3, user_interval_ms: 700 });
  const paster = await TestClient.connect(server.port, "paster", CHANNEL);
  const calm = await TestClient.connect(server.port, "calm", CHANNEL);
  try {
    const rooms = Array.from({ length: 15 }, (_, i) => `room-${i}`);
    const answers = answersTo(paster, 15, 25_000);
    await paste(paster, rooms.map((r) => `+in ${r}`));
    await paster.until(() => answers.got.length >= 1);
    const asked = performance.now();
    assert.equal(await ask(calm, CHANNEL, "+in #qa"), "calm: calm checked in to #qa");
    const calmTook = performance.now() - asked;
    const pasterHad = answers.got.length;
    await answers.done;
    assert.deepEqual(answers.got.map((a) => a.text), rooms.map((r) => `paster: paster checked in to ${r}`));
    assert.ok(calmTook < 1500, `calm waited ${Math.round(calmTook)} ms`);
    assert.ok(pasterHad <= 8, `the paster had ${pasterHad} answers before calm got one`);
    // The pace held: lines 4 to 15 each needed a new token.
    const span = answers.got[14].at - answers.got[0].at;
    assert.ok(span >= 12 * 700 - 1000, `all 15 answers within ${Math.round(span)} ms`);
    assert.equal(bot.store.state.last_check_in.paster.location, "room-14");
  } finally {
    paster.close();
    calm.close();
    await bot.stop();
    await server.stop();
  }
});

test("lines beyond the 20 that may wait are not taken; one reply says how many", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server, { user_burst: 3, user_interval_ms: 150 });
  const paster = await TestClient.connect(server.port, "paster", CHANNEL);
  const calm = await TestClient.connect(server.port, "calm", CHANNEL);
  // The paster's first line is held until the whole paste has reached the
  // bot, so exactly 20 wait behind it whatever the timing.
  const run = bot.runner.run.bind(bot.runner);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  bot.runner.run = async (who, line) => {
    if (who.nick === "paster") await gate;
    return run(who, line);
  };
  try {
    const rooms = Array.from({ length: 25 }, (_, i) => `room-${i}`);
    const answers = answersTo(paster, 22, 25_000);
    await paste(paster, rooms.map((r) => `+in ${r}`));
    await calm.until(() => calm.messages.filter((m) => m.from === "paster").length >= 25, 20_000);
    // The bot reads its connection in order: once calm's line is answered, the paste has all been read.
    // And a person stuck on a line holds up nobody else.
    assert.equal(await ask(calm, CHANNEL, "+in #qa"), "calm: calm checked in to #qa");
    assert.equal(answers.got.length, 0);
    release();
    await answers.done;
    assert.deepEqual(answers.got.map((a) => a.text), [
      ...rooms.slice(0, 21).map((r) => `paster: paster checked in to ${r}`),
      "paster: 4 lines were not taken (at most 20 wait at once); send them again",
    ]);
    // Nothing more for the paster: no second report.
    assert.equal(await ask(calm, CHANNEL, "+out"), "calm: calm checked out of #qa");
    assert.equal(answers.got.length, 22);
    assert.equal(bot.store.state.last_check_in.paster.location, "room-20");
  } finally {
    paster.close();
    calm.close();
    await bot.stop();
    await server.stop();
  }
});

test("require_account: reminders to identify are paced like answers, one per line", async () => {
  const server = await startIrcServer();
  // ngircd has no services, so nobody here is identified.
  const bot = await startBot(server, { require_account: true, user_burst: 2, user_interval_ms: 800 });
  const anon = await TestClient.connect(server.port, "anon", CHANNEL);
  const calm = await TestClient.connect(server.port, "calm", CHANNEL);
  const identify = "Please identify to services (NickServ) first: this bot knows people by their account";
  try {
    const answers = answersTo(anon, 8, 20_000);
    await paste(anon, Array.from({ length: 8 }, (_, i) => `+in room-${i}`));
    await anon.until(() => answers.got.length >= 1);
    const asked = performance.now();
    assert.equal(await ask(calm, CHANNEL, "+in #qa"), `calm: ${identify}`);
    assert.ok(performance.now() - asked < 1500, "calm was not held up");
    await answers.done;
    assert.deepEqual(answers.got.map((a) => a.text), Array(8).fill(`anon: ${identify}`));
    // ngircd holds the bot's first lines back after its WHOIS (no account tags here, and WHOIS costs
    // a penalty there), so the first ones arrive together; the pace shows in the rest.
    const span = answers.got[7].at - answers.got[0].at;
    assert.ok(span >= 5 * 800 - 800, `8 reminders within ${Math.round(span)} ms`);
    assert.equal(
      await ask(calm, CHANNEL, "#help"),
      `calm: ptgbot commands are explained at http://127.0.0.1:${bot.addr.port}/ptg.html#help`,
    );
    assert.equal(answers.got.length, 8);
    assert.deepEqual(Object.keys(bot.store.state.last_check_in), []);
  } finally {
    anon.close();
    calm.close();
    await bot.stop();
    await server.stop();
  }
});

test("the IRC server killed and restarted: the bot is back and answering within 15 s", async () => {
  const server = await startIrcServer();
  const bot = await startBot(server);
  await using _server = stopping(server);
  await using _bot = stopping(bot);
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
