/**
 * Reminders end to end: the program as a child under libfaketime (a clock
 * offset shared by every process of a test, so a lease means the same to
 * each), ngircd, and a follower of #nova. The sample event's MonA1 starts at
 * 09:00 UTC on 2027-04-12 and ends at 10:45; each test reaches that start
 * in a different way and counts the notices the follower gets.
 */
import assert from "node:assert/strict";
import type { Bot } from "../helpers/process.ts";
import {
  ask,
  CHANNEL,
  freePort,
  type Msg,
  startIrcServer,
  TestClient,
  writeIrcConfig,
} from "../helpers/irc.ts";
import { botOn, timeline, until } from "../helpers/fake_clock.ts";
import { CLOCK_FAKED, E2E } from "../helpers/e2e.ts";

const START = Date.parse("2027-04-12T09:00:00Z");
const STARTS_NOW =
  /^#nova starts now in Ballroom A until 10:45; .*video: https:\/\/meet\.example\.org\/ballroom-a$/;
const STARTED = /^#nova started at 09:00 in Ballroom A until 10:45;/;
const ANY_START = /^#nova start(s now|ed at 09:00) in Ballroom A/;

/** The reminders tests' config in `dir`: a shared store, a short lease, a quick pace, starts announced. */
function config(dir: string, ircPort: number): Promise<string> {
  return writeIrcConfig(ircPort, dir, {
    http_port: freePort(),
    lease_ms: 2000,
    send_interval_ms: 100,
    announce_starts: true,
  });
}

async function setup() {
  const irc = await startIrcServer();
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
  const path = await config(dir, irc.port);
  const fan = await TestClient.connect(irc.port, "fan", CHANNEL);
  return { irc, dir, path, fan };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The start notices the follower got (from the bot under its nick or, just after a restart, its fallback). */
function starts(fan: TestClient): Msg[] {
  return fan.messages.filter((m) =>
    m.from.startsWith("ptgbot") && m.target === "fan" && ANY_START.test(m.text)
  );
}

async function joined(bot: Bot): Promise<void> {
  await bot.waitFor(/irc: joined #ptg/, 30_000);
}

// These tests set each child's clock themselves (an offset from the real time): under the suite's own
// faketime (`deno task test:any-day`) the real time is out of reach, so they run on real days only.
const TEST = { ...E2E, ignore: CLOCK_FAKED };

Deno.test({
  ...TEST,
  name: "reminders: a slot start reached while the bot runs: one notice, and the channel's line",
  fn: async () => {
    const { irc, dir, path, fan } = await setup();
    const line = timeline(START - 25_000);
    let bot: Bot | undefined;
    try {
      bot = await botOn(line, path, dir);
      await joined(bot);
      assert.match(await ask(fan, "ptgbot", "follow #nova"), /^Following #nova:/);
      assert.ok(line.now() < START - 2000, "set up before the start");
      await fan.until(() => starts(fan).length > 0, 40_000);
      const heard = line.now();
      assert.match(starts(fan)[0].text, STARTS_NOW);
      assert.ok(heard - START < 5000, `told ${heard - START} ms after the start`);
      await fan.until(() =>
        fan.messages.some((m) => m.target === CHANNEL && m.text.startsWith("Starting now: "))
      );
      const announced = fan.messages.find((m) =>
        m.target === CHANNEL && m.text.startsWith("Starting now: ")
      )!;
      assert.match(announced.text, /#nova \(Ballroom A\)/);
      await sleep(3000);
      assert.equal(starts(fan).length, 1);
      const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
      assert.match(metrics, /^ptgbot_reminders_sent_total\{kind="start"\} 1$/m);
      assert.match(metrics, /^ptgbot_reminder_lateness_seconds_count [1-9]/m);
      assert.ok(!metrics.includes("fan"), "nothing personal in /metrics");
      const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).text();
      assert.ok(!doc.includes("follows") && !doc.includes('"fan"'), "follows are private");
    } finally {
      fan.close();
      await bot?.stop();
      await irc.stop();
    }
  },
});

Deno.test({
  ...TEST,
  name: "reminders: stopped across the start: one late notice inside the slot, none after it, never twice",
  fn: async () => {
    const { irc, dir, path, fan } = await setup();
    let bot: Bot | undefined;
    try {
      bot = await botOn(timeline(START - 60_000), path, dir);
      await joined(bot);
      assert.match(await ask(fan, "ptgbot", "follow nova"), /^Following #nova:/);
      await sleep(1500); // a tick has set the mark
      assert.equal((await bot.stop()).code, 0);

      bot = await botOn(timeline(START + 10 * 60_000), path, dir); // back at 09:10
      await joined(bot);
      await fan.until(() => starts(fan).length > 0, 15_000);
      assert.match(starts(fan)[0].text, STARTED);
      assert.equal((await bot.stop()).code, 0);

      bot = await botOn(timeline(START + 11 * 60_000), path, dir); // again at 09:11
      await joined(bot);
      await sleep(4000);
      assert.equal(starts(fan).length, 1, "never twice");
      assert.equal((await bot.stop()).code, 0);
    } finally {
      await bot?.stop();
    }
    // Another store, stopped before the start and back after the slot: nothing.
    const later = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
    const path2 = await config(later, irc.port);
    try {
      bot = await botOn(timeline(START - 60_000), path2, later);
      await joined(bot);
      const since = fan.messages.length;
      assert.match(await ask(fan, "ptgbot", "follow nova"), /^Following #nova:/);
      await sleep(1500);
      await bot.stop();
      bot = await botOn(timeline(START + 106 * 60_000), path2, later); // 10:46, MonA1 is over
      await joined(bot);
      await sleep(4000);
      assert.equal(fan.messages.slice(since).filter((m) => ANY_START.test(m.text)).length, 0);
    } finally {
      fan.close();
      await bot?.stop();
      await irc.stop();
    }
  },
});

/**
 * Two processes on one store and the lease, the leader leaving just before the slot starts, by a clean
 * stop (its successor takes over) or by kill -9 (its lease runs out first): the follower hears once.
 */
function leaderLeavesAtTheStart(name: string, leadMs: number, leave: (leader: Bot) => Promise<void>) {
  Deno.test({
    ...TEST,
    name,
    fn: async () => {
      const { irc, dir, path, fan } = await setup();
      const line = timeline(START - 20_000);
      let first: Bot | undefined, second: Bot | undefined;
      try {
        first = await botOn(line, path, dir);
        await joined(first);
        assert.match(await ask(fan, "ptgbot", "follow nova"), /^Following #nova:/);
        second = await botOn(line, path, dir);
        await until(line, START - leadMs);
        await leave(first);
        await joined(second);
        await fan.until(() => starts(fan).length > 0, 20_000);
        await sleep(4000);
        assert.equal(starts(fan).length, 1);
      } finally {
        fan.close();
        await first?.stop();
        await second?.stop();
        await irc.stop();
      }
    },
  });
}

leaderLeavesAtTheStart("reminders: a hand-over at the start tells the follower once", 300, async (leader) => {
  assert.equal((await leader.stop()).code, 0);
});

leaderLeavesAtTheStart(
  "reminders: kill -9 of the leader at the start: the other process tells the follower once",
  200,
  async (leader) => {
    leader.proc.kill("SIGKILL");
    await leader.proc.status;
  },
);
