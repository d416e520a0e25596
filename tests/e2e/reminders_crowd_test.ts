/**
 * 300 followers of one track on ngircd, each a real client: at the slot's
 * start every one of them is told, at the pace the send queue allows, and
 * someone else's command in the channel is answered meanwhile. The program
 * runs as a child on a libfaketime timeline (see reminders_test.ts).
 */
import assert from "node:assert/strict";
import { type Bot, MAIN, spawnBot } from "../helpers/process.ts";
import { CHANNEL, freePort, startIrcServer, TestClient } from "../helpers/irc.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";
import { CLOCK_FAKED, E2E } from "../helpers/e2e.ts";

const START = Date.parse("2027-04-12T09:00:00Z");
const FOLLOWERS = 300;
const BATCH = 50;
const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test({
  name: "reminders: 300 followers are all told, and another person's command is answered meanwhile",
  ...E2E,
  // It sets the child's clock as an offset from the real time, out of reach under the suite's faketime.
  ignore: CLOCK_FAKED,
  fn: async () => {
    // ngircd's own flood penalty (about three lines a second) off: the bot's send queue sets the pace.
    const irc = await startIrcServer({ noPenalties: true });
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-crowd-" });
    const path = `${dir}/config.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        irc_nick: "ptgbot",
        irc_server: "127.0.0.1",
        irc_port: irc.port,
        irc_tls: false,
        irc_channel: CHANNEL,
        kv_path: `${dir}/s.kv`,
        base: SAMPLE_FILE,
        http_host: "127.0.0.1",
        http_port: freePort(),
        timezone: "UTC",
        send_interval_ms: 50,
      }),
    );
    const crowd: TestClient[] = [];
    let bot: Bot | undefined;
    const asker = await TestClient.connect(irc.port, "asker", CHANNEL);
    try {
      for (let i = 0; i < FOLLOWERS; i += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, FOLLOWERS - i) }, (_, j) => `fan${i + j}`);
        crowd.push(...await Promise.all(batch.map((nick) => TestClient.connect(irc.port, nick))));
      }
      // Started 60 s (fake) before the slot: time enough to take 300 follows at the send pace.
      const shift = START - 60_000 - Date.now();
      const fakeNow = () => Date.now() + shift;
      bot = await spawnBot(Deno.execPath(), ["run", "-A", MAIN, path], dir, {
        TZ: "UTC",
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME: `+${(shift / 1000).toFixed(1)}s`,
      });
      await bot.waitFor(/irc: joined #ptg/, 30_000);
      // 300 answers at one line per 50 ms: a quarter of a minute or more.
      await Promise.all(crowd.map((c) => c.say("ptgbot", "follow nova")));
      const followed = (c: TestClient) => c.messages.some((m) => m.text.startsWith("Following #nova:"));
      await Promise.all(crowd.map((c) => c.until(() => followed(c), 90_000)));
      assert.ok(fakeNow() < START - 2000, `follows took until ${new Date(fakeNow()).toISOString()}`);
      const followedBy = fakeNow();
      await sleep(START - fakeNow());
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
