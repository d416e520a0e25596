/**
 * The busy-channel scenario of the fair send queue, for its test and its
 * benchmark: three people each send a command a second (the per-person
 * limit) in the channel while a fourth asks `seen` in private; the bot runs
 * with the default outgoing pace. Everything on a local ngircd.
 */
import { CONFIG_KEYS } from "../../lib/app/config.ts";
import { CHANNEL, type Msg, startIrcBot, startIrcServer, TestClient } from "./irc.ts";

/** What the scenario saw. */
export interface FloodResult {
  /** Milliseconds from each of the fourth person's questions to its answer, in order. */
  latencies: number[];
  /** Each flooder's nick, the answers they expected in order, and the ones they got. */
  flooders: { nick: string; expected: string[]; got: string[] }[];
  /** The fourth person's answers. */
  answers: string[];
  /** Lines the send queue did not send. */
  dropped: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs it: the flooders send for `seconds`; the fourth person asks every
 * `askEveryMs` meanwhile, each question after the previous answer. Resolves
 * once every answer is in (or throws after `waitMs` more).
 */
export async function runFlood(seconds: number, askEveryMs: number, waitMs = 60_000): Promise<FloodResult> {
  const server = await startIrcServer();
  const logs: string[] = [];
  // The default pacing, on both sides (the test helper's own default is faster).
  const bot = await startIrcBot(server.port, logs, {
    send_burst: CONFIG_KEYS.send_burst.default,
    send_interval_ms: CONFIG_KEYS.send_interval_ms.default,
  });
  const userIntervalMs = CONFIG_KEYS.user_interval_ms.default;
  const flooders = await Promise.all(
    ["flood1", "flood2", "flood3"].map((n) => TestClient.connect(server.port, n, CHANNEL)),
  );
  const asker = await TestClient.connect(server.port, "asker", CHANNEL);
  try {
    const count = Math.round((seconds * 1000) / userIntervalMs);
    const plan = flooders.map((f) => ({
      nick: f.nick,
      lines: Array.from({ length: count }, (_, i) => `+in room-${i}`),
      expected: Array.from({ length: count }, (_, i) => `${f.nick}: ${f.nick} checked in to room-${i}`),
    }));
    const mine = (f: TestClient) => (m: Msg) => m.from === "ptgbot" && m.text.startsWith(`${f.nick}: `);
    const start = performance.now();
    const flooding = Promise.all(flooders.map(async (f, k) => {
      // Staggered a little, as people are; each at the limit: one line per interval.
      await sleep((k * userIntervalMs) / 3);
      for (let i = 0; i < count; i++) {
        await f.say(CHANNEL, plan[k].lines[i]);
        await sleep(start + (k * userIntervalMs) / 3 + (i + 1) * userIntervalMs - performance.now());
      }
    }));
    const latencies: number[] = [];
    const answers: string[] = [];
    await sleep(askEveryMs);
    while (performance.now() - start < seconds * 1000) {
      const asked = performance.now();
      const since = asker.messages.length;
      await asker.say("ptgbot", `seen ${flooders[latencies.length % 3].nick}`);
      const m = await asker.next("ptgbot", since, waitMs, (m) => m.target === "asker" && !m.notice);
      latencies.push(performance.now() - asked);
      answers.push(m.text);
      await sleep(asked + askEveryMs - performance.now());
    }
    await flooding;
    await Promise.all(
      flooders.map((f, k) =>
        f.until(() => f.messages.filter(mine(f)).length >= plan[k].expected.length, waitMs)
      ),
    );
    return {
      latencies,
      flooders: flooders.map((f, k) => ({
        nick: f.nick,
        expected: plan[k].expected,
        got: f.messages.filter(mine(f)).map((m) => m.text),
      })),
      answers,
      dropped: bot.irc!.health.dropped,
    };
  } finally {
    for (const c of [...flooders, asker]) c.close();
    await bot.stop();
    await server.stop();
  }
}

/** The `p`-th percentile (0–100) of `xs`, nearest rank. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
