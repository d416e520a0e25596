/**
 * `require_account` on InspIRCd 3 + Atheme in each account mode: account tags;
 * `account-notify` and `extended-join` without tags; WHOX alone (without
 * m_ircv3 and m_ircv3_accounttag), where the bot learns who is who on
 * joining; and WHOIS alone (WHOX removed by the harness's line filter), one
 * per nick when a command needs it. In each, a nick that changed hands out of
 * the bot's sight does not keep its old holder's account.
 */
import assert from "node:assert/strict";
import { ask, CHANNEL, startIrcBot, TestClient } from "../helpers/irc.ts";
import { type Services, startServices } from "../helpers/services.ts";
import { e2eTest, stopping } from "../helpers/e2e.ts";

const test = (name: string, fn: () => Promise<void>) => e2eTest(`services accounts: ${name}`, fn);

const IDENTIFY = "Please identify to services (NickServ) first: this bot knows people by their account";

const networks = new Map<string, Promise<Services>>();

/**
 * One network per mode, shared by this file's tests: WHOX on or off, account-notify and extended-join on
 * or off, and with them the account tag on or off.
 */
function network(whox: boolean, notify = false, tags = false): Promise<Services> {
  const key = `${whox} ${notify} ${tags}`;
  if (!networks.has(key)) {
    networks.set(
      key,
      (async () => {
        const s = await startServices(
          tags ? { whox } : notify ? { accountTag: false, whox } : { accountExtensions: false, whox },
        );
        await Promise.all([
          s.register("ptgbot", "bot-pw-31"),
          s.register("alice", "alice-pw"),
          s.register("bob", "bob-pw"),
        ]);
        return s;
      })(),
    );
  }
  return networks.get(key)!;
}

const whoisOf = (sent: string[], nick: string) =>
  sent.filter((l) => l.toLowerCase() === `whois ${nick.toLowerCase()}`).length;

test("tags off, WHOX on: someone identified before the bot joined is known from WHOX alone", async () => {
  const s = await network(true);
  const alice = await s.identified("alice", "alice-pw", "al", CHANNEL);
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
  const mallory = await TestClient.connect(s.serverPort, "alice", CHANNEL);
  try {
    assert.ok(logs.includes("irc: logged in as ptgbot (SASL PLAIN)"), logs.join("\n"));
    await alice.until(() => proxy.sent().some((l) => /^WHO #ptg %tna,\d+$/i.test(l)));
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "al: al checked in to #nova");
    assert.equal(whoisOf(proxy.sent(), "al"), 0, "WHOX told the bot already");
    // Someone who joined later has the nick of a registered account but is not logged in.
    assert.equal(await ask(mallory, CHANNEL, "+in #nova"), `alice: ${IDENTIFY}`);
  } finally {
    alice.close();
    mallory.close();
    await program.stop();
    proxy.close();
  }
});

test("no tags, no WHOX: one WHOIS per nick, asked again under a new nick", async () => {
  const s = await network(false);
  const alice = await s.identified("alice", "alice-pw", "al", CHANNEL);
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
  const mallory = await TestClient.connect(s.serverPort, "alice", CHANNEL);
  try {
    assert.ok(!proxy.sent().some((l) => /^WHO #/i.test(l)), "no WHOX where the server has none");
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "al: al checked in to #nova");
    assert.equal(await ask(alice, CHANNEL, "+in #qa"), "al: al checked in to #qa");
    assert.equal(whoisOf(proxy.sent(), "al"), 1, "asked once, then remembered");
    await alice.send("NICK al2");
    await alice.until(() => alice.raw.some((l) => / NICK :?al2/.test(l)));
    alice.nick = "al2";
    assert.equal(await ask(alice, CHANNEL, "+out"), "al2: al2 checked out of #qa");
    assert.equal(whoisOf(proxy.sent(), "al2"), 1, "a new nick is asked about again");
    assert.equal(await ask(mallory, CHANNEL, "+in #nova"), `alice: ${IDENTIFY}`);
  } finally {
    alice.close();
    mallory.close();
    await program.stop();
    proxy.close();
  }
});

test("account-notify and extended-join without tags: kept current with no WHOIS at all", async () => {
  const s = await network(true, true);
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
  // Joins after the bot, not logged in yet: extended-join says so.
  const alice = await TestClient.connect(s.serverPort, "al", CHANNEL);
  try {
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), `al: ${IDENTIFY}`);
    // Logs in while in the channel: account-notify tells the bot.
    const since = alice.raw.length;
    await alice.say("NickServ", "IDENTIFY alice alice-pw");
    await alice.until(() => alice.raw.slice(since).some((l) => / 900 /.test(l)));
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "al: al checked in to #nova");
    assert.equal(whoisOf(proxy.sent(), "al"), 0, "extended-join and account-notify told the bot");
  } finally {
    alice.close();
    await program.stop();
    proxy.close();
  }
});

test("OFTC-style WHOIS (307 for one's own nick, no 330): identified to one's own nick counts as that account", async () => {
  const s = await startServices({ accountExtensions: false, whox: false, whoisAccount: false });
  await using _s = stopping(s);
  await Promise.all([s.register("ptgbot", "bot-pw-31"), s.register("alice", "alice-pw")]);
  // Identified to her own nick before the bot came: services mark the nick registered (+r).
  const alice = await s.identified("alice", "alice-pw", "alice", CHANNEL);
  const proxy = s.recorder();
  const logs: string[] = [];
  const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
  const bob = await TestClient.connect(s.serverPort, "bob", CHANNEL);
  try {
    assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
    assert.equal(whoisOf(proxy.sent(), "alice"), 1, "the 307 of one WHOIS told the bot");
    // Not identified: no 307 either.
    assert.equal(await ask(bob, CHANNEL, "+in #nova"), `bob: ${IDENTIFY}`);
    // Identified to an account of another name: OFTC's WHOIS says nothing, so the bot cannot know.
    const al = await s.identified("alice", "alice-pw", "al", CHANNEL);
    try {
      assert.equal(await ask(al, CHANNEL, "+in #nova"), `al: ${IDENTIFY}`);
    } finally {
      al.close();
    }
  } finally {
    alice.close();
    bob.close();
    await program.stop();
    proxy.close();
  }
});

/** Resolves once `test()` holds, looking every 20 ms for up to 10 s. */
async function poll(test: () => boolean): Promise<void> {
  for (let tries = 0; !test(); tries++) {
    if (tries === 500) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Has `client` take `nick`, trying again (for a few seconds) while its last holder is still leaving. */
async function takeNick(client: TestClient, nick: string): Promise<void> {
  for (let tries = 0; tries < 50; tries++) {
    const since = client.raw.length;
    await client.send(`NICK ${nick}`);
    const answer = () => client.raw.slice(since).find((l) => / NICK :?\S/.test(l) || / 433 /.test(l));
    await client.until(() => answer() !== undefined);
    if (!/ 433 /.test(answer()!)) {
      client.nick = nick;
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${nick} stayed taken`);
}

/** The account modes this file covers, each on its own shared network. */
const MODES: { name: string; whox: boolean; network: () => Promise<Services> }[] = [
  { name: "account tags", whox: true, network: () => network(true, true, true) },
  { name: "extended-join and account-notify without tags", whox: true, network: () => network(true, true) },
  { name: "WHOX without the extensions", whox: true, network: () => network(true) },
  { name: "WHOIS only", whox: false, network: () => network(false) },
];

for (const mode of MODES) {
  test(`${mode.name}: a nick that changed hands does not keep the old account`, async () => {
    const s = await mode.network();
    // In the channel before the bot: WHOX (where there is one) tells the bot who she is.
    const bob = await s.identified("bob", "bob-pw", "bob", CHANNEL);
    const proxy = s.recorder();
    const logs: string[] = [];
    const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
    let taker: TestClient | undefined;
    try {
      // Where there is WHOX, the channel state answers (the bot asked on joining).
      await poll(() => mode.whox === proxy.sent().some((l) => /^WHO #ptg %tna,\d+$/i.test(l)));
      assert.equal(await ask(bob, CHANNEL, "+in #nova"), "bob: bob checked in to #nova");
      // Leaves the channel, then the network: the bot no longer shares a channel and sees no QUIT.
      await bob.send(`PART ${CHANNEL}`);
      await bob.until(() => bob.raw.some((l) => / PART :?#ptg/i.test(l)));
      await bob.send("QUIT :gone");
      // Someone not identified takes the nick once it is free and speaks to the bot only in private.
      taker = await TestClient.connect(s.serverPort, "newcomer");
      await takeNick(taker, "bob");
      assert.equal(await ask(taker, "ptgbot", "out"), IDENTIFY);
      const checkIn = program.store.state.last_check_in.bob;
      assert.equal(checkIn?.location, "#nova", "the check-in is still there");
      assert.equal(checkIn?.out, null, "and still open");
    } finally {
      bob.close();
      taker?.close();
      await program.stop();
      proxy.close();
    }
  });
}

for (const mode of MODES.filter((m) => m.name.includes("WHOX") || m.name.includes("account-notify"))) {
  test(`${mode.name}: the channel state goes with the bot when it is kicked`, async () => {
    const s = await mode.network();
    // First in the channel, so an operator, and known to the bot from WHOX.
    const bob = await s.identified("bob", "bob-pw", "bob", CHANNEL);
    const proxy = s.recorder();
    const logs: string[] = [];
    const program = await startIrcBot(proxy.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
    let taker: TestClient | undefined;
    try {
      assert.ok(bob.raw.some((l) => / 353 bob = #ptg :@bob$/.test(l)), "bob is an operator");
      await poll(() => proxy.sent().some((l) => /^WHO #ptg %tna,\d+$/i.test(l)));
      assert.equal(await ask(bob, CHANNEL, "+in #nova"), "bob: bob checked in to #nova");
      // The bot is out of the channel for 5 s: it hears nothing of bob leaving the network.
      await bob.send(`KICK ${CHANNEL} ptgbot :out`);
      await poll(() => logs.some((l) => l.startsWith(`irc: left ${CHANNEL}`)));
      await bob.send("QUIT :gone");
      taker = await TestClient.connect(s.serverPort, "newcomer");
      await takeNick(taker, "bob");
      const joins = proxy.sent().filter((l) => l === `JOIN ${CHANNEL}`).length;
      assert.equal(joins, 1, "the line reaches the bot before it joins again and learns the channel afresh");
      // Answered once the bot is back (its queue waits while it is out).
      assert.equal(await ask(taker, "ptgbot", "out"), IDENTIFY);
      assert.equal(program.store.state.last_check_in.bob?.out, null, "still checked in");
    } finally {
      bob.close();
      taker?.close();
      await program.stop();
      proxy.close();
    }
  });
}
