/**
 * Account lookups on a clock the tests move by hand, against a small
 * stand-in for irc-framework's client that records each WHOIS and answers
 * when told: an answer is believed for `ACCOUNT_TTL_MS` and then asked
 * again; a burst of lines costs one WHOIS; a nick seen to part, be kicked,
 * quit, change nick or join is asked about afresh, and lines waiting on a
 * WHOIS when their nick changed hands get no account; channel state counts
 * only for members and, without account-notify, only for a while; account
 * tags are authoritative; the answers kept are bounded.
 */
import assert from "node:assert/strict";
import { ACCOUNT_TTL_MS, Accounts, MAX_ANSWERS, numericParams } from "../../lib/irc/accounts.ts";
import { ChannelState } from "../../lib/irc/channel_state.ts";

/** The parts of irc-framework's client that `Accounts` uses. */
class Server {
  caps = new Set<string>();
  whox = false;
  sent: string[] = [];
  #waiting: { nick: string; cb: (e: { nick: string; account?: string }) => void }[] = [];
  network = {
    cap: { isEnabled: (name: string) => this.caps.has(name) },
    supports: (name: string) => name === "WHOX" && this.whox,
  };

  whois(nick: string, cb: (e: { nick: string; account?: string }) => void): void {
    this.sent.push(`WHOIS ${nick}`);
    this.#waiting.push({ nick, cb });
  }

  raw(line: string): void {
    this.sent.push(line);
  }

  /** Answers every WHOIS about `nick` still open. */
  answer(nick: string, account: string | undefined): void {
    const mine = this.#waiting.filter((w) => w.nick.toLowerCase() === nick.toLowerCase());
    this.#waiting = this.#waiting.filter((w) => !mine.includes(w));
    for (const w of mine) w.cb({ nick, account });
  }

  whoisOf(nick: string): number {
    return this.sent.filter((l) => l === `WHOIS ${nick}`).length;
  }
}

function setup(caps: string[] = []) {
  const server = new Server();
  for (const c of caps) server.caps.add(c);
  const clock = { t: 1_000_000 };
  const members = new ChannelState();
  const accounts = new Accounts(server, members, undefined, { now: () => clock.t });
  return { server, clock, members, accounts };
}

/** Asks for `nick`'s account and answers the WHOIS (if one was sent) with `account`. */
async function lookUp(
  s: ReturnType<typeof setup>,
  nick: string,
  account: string | undefined,
): Promise<string | undefined> {
  const found = s.accounts.accountOf(nick, undefined);
  if (!(found instanceof Promise)) return found;
  s.server.answer(nick, account);
  return await found;
}

Deno.test("accounts: a WHOIS answer is believed for ACCOUNT_TTL_MS, then asked again", async () => {
  const s = setup();
  assert.equal(await lookUp(s, "bob", "bob"), "bob");
  assert.equal(s.server.whoisOf("bob"), 1);
  s.clock.t += ACCOUNT_TTL_MS - 1;
  assert.equal(s.accounts.accountOf("bob", undefined), "bob", "still believed");
  assert.equal(s.accounts.nickOf("bob"), "bob");
  s.clock.t += 1;
  assert.equal(s.accounts.nickOf("bob"), undefined, "expired for notices too");
  const again = s.accounts.accountOf("bob", undefined);
  assert.ok(again instanceof Promise, "expired: the server is asked again");
  assert.equal(s.server.whoisOf("bob"), 2);
  // Someone else has the nick by now.
  s.server.answer("bob", undefined);
  assert.equal(await again, undefined);
});

Deno.test("accounts: the expiry can be set, and 'not logged in' is believed only briefly", async () => {
  const server = new Server();
  const clock = { t: 0 };
  const accounts = new Accounts(server, new ChannelState(), undefined, { now: () => clock.t, ttlMs: 5_000 });
  const first = accounts.accountOf("al", undefined);
  server.answer("al", "alice");
  assert.equal(await first, "alice");
  clock.t = 4_999;
  assert.equal(accounts.accountOf("al", undefined), "alice");
  clock.t = 5_000;
  const second = accounts.accountOf("al", undefined);
  assert.ok(second instanceof Promise);
  server.answer("al", undefined);
  assert.equal(await second, undefined);
  // "Not logged in" holds 10 s, then the server is asked again (they may have identified).
  clock.t = 14_999;
  assert.equal(accounts.accountOf("al", undefined), undefined);
  clock.t = 15_000;
  const third = accounts.accountOf("al", undefined);
  assert.ok(third instanceof Promise);
  server.answer("al", "alice");
  assert.equal(await third, "alice");
  assert.equal(server.whoisOf("al"), 3);
});

Deno.test("accounts: a burst of lines from one person costs one WHOIS", async () => {
  const s = setup();
  const burst = Array.from({ length: 5 }, () => s.accounts.accountOf("Bob", undefined));
  assert.equal(s.server.whoisOf("Bob"), 1, "the lines wait on the one question");
  s.server.answer("Bob", "bob");
  assert.deepEqual(await Promise.all(burst), Array(5).fill("bob"));
  assert.equal(s.accounts.accountOf("BOB", undefined), "bob", "then remembered (nicks ignore case)");
  assert.equal(s.server.whoisOf("Bob"), 1);
});

Deno.test("accounts: parting, a kick, quitting, a nick change or joining drop what was learnt", async () => {
  const events: [string, (s: ReturnType<typeof setup>) => void][] = [
    ["part or kick", (s) => s.accounts.gone("bob")],
    ["quit", (s) => s.accounts.gone("BOB")],
    ["nick change away", (s) => s.accounts.renamed("bob", "bob2")],
    ["nick change onto it", (s) => s.accounts.renamed("mallory", "bob")],
    ["join", (s) => {
      s.members.join("bob");
      s.accounts.joined("bob", undefined);
    }],
  ];
  for (const [what, event] of events) {
    const s = setup();
    assert.equal(await lookUp(s, "bob", "bob"), "bob");
    event(s);
    assert.equal(s.accounts.nickOf("bob"), undefined, what);
    assert.equal(await lookUp(s, "bob", undefined), undefined, what);
    assert.equal(s.server.whoisOf("bob"), 2, `${what}: asked afresh`);
  }
});

Deno.test("accounts: lines waiting on a WHOIS when their nick changed hands get no account", async () => {
  const s = setup();
  const waiting = s.accounts.accountOf("bob", undefined);
  // The sender parts and quits; a new holder of the nick speaks before the answer comes.
  s.accounts.gone("bob");
  const newcomer = s.accounts.accountOf("bob", undefined);
  assert.equal(s.server.whoisOf("bob"), 2, "the newcomer is asked about, not given the old question");
  s.server.answer("bob", "bob");
  assert.equal(await waiting, undefined, "the answer may be about someone else");
  assert.equal(await newcomer, "bob");
});

Deno.test("accounts: channel state counts only for members, and without account-notify only for a while", async () => {
  // WHOX without account-notify: the account is what the server said when the bot joined.
  const s = setup();
  s.server.whox = true;
  s.members.reset([{ nick: "bob" }, { nick: "eve" }]);
  s.accounts.namesReceived("#ptg");
  assert.deepEqual(s.server.sent, ["WHO #ptg %tna,713"]);
  s.accounts.serverLine(":irc.test 354 ptgbot 713 bob bob");
  s.accounts.serverLine(":irc.test 354 ptgbot 713 eve 0");
  assert.equal(s.accounts.accountOf("bob", undefined), "bob");
  assert.equal(s.accounts.nickOf("bob"), "bob");
  // "No account" from WHOX is not believed without account-notify: she may have identified since.
  assert.equal(await lookUp(s, "eve", "eve"), "eve");
  s.clock.t += ACCOUNT_TTL_MS;
  assert.equal(await lookUp(s, "bob", undefined), undefined, "expired: asked, and someone else has it");
  // Gone from the channel: nothing of what the channel state said counts.
  s.members.leave("eve");
  s.accounts.gone("eve");
  assert.equal(await lookUp(s, "eve", undefined), undefined);

  // With account-notify the server keeps members current, as long as they stay.
  const n = setup(["account-notify"]);
  n.members.reset([{ nick: "bob" }, { nick: "eve" }]);
  n.accounts.serverLine(":irc.test 354 ptgbot 713 bob bob");
  n.accounts.serverLine(":irc.test 354 ptgbot 713 eve 0");
  n.clock.t += 10 * ACCOUNT_TTL_MS;
  assert.equal(n.accounts.accountOf("bob", undefined), "bob");
  assert.equal(n.accounts.accountOf("eve", undefined), undefined, "followed: known to have none");
  n.accounts.changed("eve", "eve");
  assert.equal(n.accounts.accountOf("eve", undefined), "eve");
  // A renamed member stays followed: the same person under another nick.
  n.members.rename("bob", "bobby");
  n.accounts.renamed("bob", "bobby");
  assert.equal(n.accounts.accountOf("bobby", undefined), "bob");
  n.members.leave("bobby");
  n.accounts.gone("bobby");
  assert.equal(n.accounts.nickOf("bob"), undefined);
  assert.equal(
    await lookUp(n, "bobby", undefined),
    undefined,
    "a nick no longer in the channel is asked about",
  );
  // The bot itself left: it hears nothing more of anyone, so the channel state is emptied.
  n.members.clear();
  assert.equal(await lookUp(n, "eve", undefined), undefined);
  assert.equal(n.server.whoisOf("eve"), 1);

  // extended-join without account-notify: believed for a while, then asked.
  const j = setup();
  j.members.join("al");
  j.accounts.joined("al", "alice");
  assert.equal(j.accounts.accountOf("al", undefined), "alice");
  j.clock.t += ACCOUNT_TTL_MS;
  assert.equal(await lookUp(j, "al", "alice"), "alice");
  assert.equal(j.server.whoisOf("al"), 1);
});

Deno.test("accounts: the account tag decides where the server sends it", () => {
  const s = setup(["account-tag", "account-notify"]);
  s.members.join("bob");
  s.accounts.joined("bob", "bob");
  assert.equal(s.accounts.accountOf("mallory", "carol"), "carol");
  assert.equal(
    s.accounts.accountOf("bob", undefined),
    undefined,
    "no tag: not logged in, whatever was said before",
  );
  assert.equal(s.server.sent.length, 0, "nothing asked");
});

Deno.test("accounts: at most MAX_ANSWERS answers are kept, the oldest dropped first", async () => {
  const s = setup();
  for (let i = 0; i < MAX_ANSWERS + 50; i++) {
    const found = s.accounts.accountOf(`n${i}`, undefined);
    s.server.answer(`n${i}`, `a${i}`);
    await found;
  }
  assert.equal(s.accounts.cached, MAX_ANSWERS);
  assert.equal(s.accounts.nickOf("a0"), undefined, "the oldest went");
  assert.equal(s.accounts.nickOf(`a${MAX_ANSWERS + 49}`), `n${MAX_ANSWERS + 49}`);
});

Deno.test("numericParams: middle and trailing parameters, tags, line ends", () => {
  assert.deepEqual(numericParams(":irc.x 354 bot 713 al :alice\r\n"), {
    numeric: "354",
    params: ["bot", "713", "al", "alice"],
  });
  assert.deepEqual(numericParams("@time=1 :irc.x 477 bot #ptg :You need to be identified"), {
    numeric: "477",
    params: ["bot", "#ptg", "You need to be identified"],
  });
  assert.deepEqual(numericParams(":irc.x 354 bot 713 al 0"), {
    numeric: "354",
    params: ["bot", "713", "al", "0"],
  });
  assert.equal(numericParams(":al!a@h PRIVMSG #ptg :354 713"), undefined);
  assert.equal(numericParams("PING :x"), undefined);
});
