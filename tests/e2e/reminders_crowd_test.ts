/**
 * Crowds of followers on ngircd, each a real client. 300 followers of one
 * track: at the slot's start every one of them is told, at the pace the
 * send queue allows, and someone else's command in the channel is answered
 * meanwhile. 40 followers told slowly, with a hand-over to another process
 * in the middle: each is told once, the rest by the new leader. The program
 * runs as a child on a libfaketime timeline (see reminders_test.ts).
 */
import assert from "node:assert/strict";
import { type Bot, healthOf } from "../helpers/process.ts";
import { botOn, timeline, until } from "../helpers/fake_clock.ts";
import { ownerPrefix, requestHandOver } from "../../lib/storage/lease.ts";
import { CHANNEL, freePort, startIrcServer, TestClient, writeIrcConfig } from "../helpers/irc.ts";
import { CLOCK_FAKED, E2E } from "../helpers/e2e.ts";

const START = Date.parse("2027-04-12T09:00:00Z");
const FOLLOWERS = 300;
const BATCH = 50;
const STAGGER_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects `count` clients named `fan0`, `fan1`, …, some at a time, each of a batch a few ms after the one
 * before: ngircd's accept queue is short, and a batch opened at once can overflow it, leaving a client
 * whose connection the kernel completed but ngircd does not read for seconds.
 */
async function connectCrowd(port: number, count: number): Promise<TestClient[]> {
  const crowd: TestClient[] = [];
  for (let i = 0; i < count; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => `fan${i + j}`);
    crowd.push(
      ...await Promise.all(batch.map(async (nick, j) => {
        await sleep(j * STAGGER_MS);
        return TestClient.connect(port, nick);
      })),
    );
  }
  return crowd;
}

Deno.test({
  name: "reminders: 300 followers are all told, and another person's command is answered meanwhile",
  ...E2E,
  // It sets the child's clock as an offset from the real time, out of reach under the suite's faketime.
  ignore: CLOCK_FAKED,
  fn: async () => {
    // ngircd's own flood penalty (about three lines a second) off: the bot's send queue sets the pace.
    const irc = await startIrcServer({ noPenalties: true });
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-crowd-" });
    const path = await writeIrcConfig(irc.port, dir, { http_port: freePort(), send_interval_ms: 50 });
    let crowd: TestClient[] = [];
    let bot: Bot | undefined;
    const asker = await TestClient.connect(irc.port, "asker", CHANNEL);
    try {
      crowd = await connectCrowd(irc.port, FOLLOWERS);
      // Started 60 s (fake) before the slot: time enough to take 300 follows at the send pace.
      const line = timeline(START - 60_000);
      const fakeNow = line.now;
      bot = await botOn(line, path, dir);
      await bot.waitFor(/irc: joined #ptg/, 30_000);
      // 300 answers at one line per 50 ms: a quarter of a minute or more.
      await Promise.all(crowd.map((c) => c.say("ptgbot", "follow nova")));
      const followed = (c: TestClient) => c.messages.some((m) => m.text.startsWith("Following #nova:"));
      await Promise.all(crowd.map((c) => c.until(() => followed(c), 90_000)));
      assert.ok(fakeNow() < START - 2000, `follows took until ${new Date(fakeNow()).toISOString()}`);
      const followedBy = fakeNow();
      await until(line, START);
      const told = (c: TestClient) => c.messages.some((m) => /^#nova starts now in Ballroom A/.test(m.text));
      // While the notices go out (the first is in): someone asks something.
      await Promise.race(crowd.map((c) => c.until(() => told(c), 10_000)));
      const asked = Date.now();
      const waiting = crowd.filter((c) => !told(c)).length;
      // Answered while 300 notices go out.
      const since = asker.messages.length;
      await asker.say(CHANNEL, "+seen fan1");
      const answer = (await asker.next("ptgbot", since, 60_000, (m) => m.target === CHANNEL)).text;
      const answeredMs = Date.now() - asked;
      assert.equal(answer, "asker: fan1 never checked in");
      // The scheduler hands the queue about two seconds of notices at a time (the rest wait with it).
      assert.ok(answeredMs < 5000, `answered after ${answeredMs} ms behind the notices`);
      await Promise.all(crowd.map((c) => c.until(() => told(c), 60_000)));
      const took = (Date.now() - asked) / 1000;
      await sleep(2000);
      const counts = crowd.map((c) => c.messages.filter((m) => /^#nova start/.test(m.text)).length);
      assert.deepEqual(new Set(counts), new Set([1]));
      console.log(
        `300 follows taken ${((START - followedBy) / 1000).toFixed(0)} s before the start; ` +
          `300 followers told within ${took.toFixed(1)} s; ` +
          `a command asked with ${waiting} notices still to go answered in ${answeredMs} ms`,
      );
      const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
      assert.match(metrics, new RegExp(`^ptgbot_reminders_sent_total\\{kind="start"\\} ${FOLLOWERS}$`, "m"));
    } finally {
      for (const c of crowd) c.close();
      asker.close();
      await bot?.stop();
      await irc.stop();
    }
  },
});

/**
 * 40 followers told at 300 ms a line by one process, a second one waiting;
 * once the first few are told the first one leaves: it steps aside for the
 * hand-over `ptgbot restart` asks for (`restart`), or stops (`stop`).
 */
async function handOverWhileTelling(how: "restart" | "stop"): Promise<void> {
  const irc = await startIrcServer({ noPenalties: true });
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-crowd-" });
  const fans = 40;
  // 40 notices at 300 ms a line: twelve seconds of them, and the hand-over lands inside.
  const path = await writeIrcConfig(irc.port, dir, {
    http_port: freePort(),
    send_interval_ms: 300,
    send_burst: 2,
    lease_ms: 2000,
  });
  let first: Bot | undefined, second: Bot | undefined;
  let crowd: TestClient[] = [];
  try {
    crowd = await connectCrowd(irc.port, fans);
    const line = timeline(START - 40_000);
    const fakeNow = line.now;
    first = await botOn(line, path, dir);
    await first.waitFor(/irc: joined #ptg/, 30_000);
    await Promise.all(crowd.map((c) => c.say("ptgbot", "follow nova")));
    const followed = (c: TestClient) => c.messages.some((m) => m.text.startsWith("Following #nova:"));
    await Promise.all(crowd.map((c) => c.until(() => followed(c), 60_000)));
    second = await botOn(line, path, dir);
    const secondPid = (await healthOf(second.port)).pid;
    assert.ok(fakeNow() < START - 2000, `follows took until ${new Date(fakeNow()).toISOString()}`);
    await until(line, START);
    const told = (c: TestClient) => c.messages.filter((m) => /^#nova start/.test(m.text)).length;
    // A few are told; then the hand-over `ptgbot restart` asks for, to the second process.
    await Promise.all(crowd.slice(0, 3).map((c) => c.until(() => told(c) > 0, 15_000)));
    let toldBefore = 0;
    if (how === "restart") {
      const kv = await Deno.openKv(`${dir}/s.kv`);
      try {
        await requestHandOver(kv, ownerPrefix(secondPid), fakeNow() + 60_000);
      } finally {
        kv.close();
      }
      await first.waitFor(/lease: another process leads now/, 15_000);
      toldBefore = crowd.filter((c) => told(c) > 0).length;
    } else {
      toldBefore = crowd.filter((c) => told(c) > 0).length;
      assert.equal((await first.stop()).code, 0);
    }
    await second.waitFor(/irc: joined #ptg/, 30_000);
    await Promise.all(crowd.map((c) => c.until(() => told(c) > 0, 60_000)));
    await sleep(3000);
    const counts = crowd.map(told);
    assert.deepEqual(new Set(counts), new Set([1]), `notices per follower: ${counts.join(",")}`);
    const left = first.output.find((l) => l.includes("left for the next leader"));
    console.log(`${toldBefore} told before the hand-over; the first process: ${left}`);
  } finally {
    for (const c of crowd) c.close();
    await first?.stop();
    await second?.stop();
    await irc.stop();
  }
}

Deno.test({
  name: "reminders: a hand-over (ptgbot restart) while 40 followers are told one by one: each is told once",
  ...E2E,
  ignore: CLOCK_FAKED,
  fn: () => handOverWhileTelling("restart"),
});

Deno.test({
  name: "reminders: the leader stopped while 40 followers are told one by one: each is told once",
  ...E2E,
  ignore: CLOCK_FAKED,
  fn: () => handOverWhileTelling("stop"),
});
