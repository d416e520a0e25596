/**
 * The fair send queue on a local ngircd with the default pacing: three
 * people each send a command a second in the channel (the per-person limit;
 * together about twice what the bot may send) while a fourth asks `seen` in
 * private, again as soon as answered but at most every `ASK_MS`. Prints the
 * fourth person's waits (p50, p95, max) and whether every answer arrived in
 * order.
 *
 *   deno run -A bench/fair_queue.ts [SECONDS=60] [ASK_MS=2000]
 */
import { percentile, runFlood } from "../tests/helpers/flood.ts";

const seconds = Number(Deno.args[0] ?? 60);
const askMs = Number(Deno.args[1] ?? 2000);
const r = await runFlood(seconds, askMs, 300_000);
const ms = r.latencies.map(Math.round);
const inOrder = r.flooders.every((f) => JSON.stringify(f.got) === JSON.stringify(f.expected));
console.log(
  `fair queue, ${seconds} s of 3 people at 1 command/s, a 4th asking every ${askMs} ms: ` +
    `${ms.length} answers to the 4th, p50 ${percentile(ms, 50)} ms, p95 ${percentile(ms, 95)} ms, ` +
    `max ${Math.max(...ms)} ms; flooders' ${r.flooders.reduce((n, f) => n + f.got.length, 0)} answers ` +
    `${inOrder ? "all in order" : "NOT all in order"}, ${r.dropped} lines not sent`,
);
