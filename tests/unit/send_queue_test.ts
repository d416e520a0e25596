/** The outgoing queue: a burst then a steady pace, order kept, bounded, notifications dropped first. */
import assert from "node:assert/strict";
import { SendQueue } from "../../lib/irc/send_queue.ts";

function recorder() {
  const sent: { target: string; text: string; at: number }[] = [];
  const t0 = performance.now();
  return {
    sent,
    send: (target: string, text: string) => sent.push({ target, text, at: performance.now() - t0 }),
  };
}

Deno.test("send queue: a burst, then one line per interval, in order", async () => {
  const r = recorder();
  const q = new SendQueue(r.send, { burst: 3, intervalMs: 50, log: () => {} });
  q.resume();
  for (let i = 0; i < 8; i++) q.push("#c", `line ${i}`);
  assert.equal(r.sent.length, 3, "the burst goes at once");
  await q.drain(5000);
  assert.deepEqual(r.sent.map((s) => s.text), Array.from({ length: 8 }, (_, i) => `line ${i}`));
  const gaps = r.sent.slice(3).map((s, i) => s.at - r.sent[i + 2].at);
  assert.ok(gaps.every((g) => g >= 40), `gaps ${gaps.map(Math.round)}`);
});

Deno.test("send queue: paused while disconnected, nothing lost", async () => {
  const r = recorder();
  const q = new SendQueue(r.send, { burst: 2, intervalMs: 10, log: () => {} });
  q.push("#c", "a");
  q.push("bob", "b", "notice");
  assert.equal(r.sent.length, 0);
  q.resume();
  await q.drain(1000);
  assert.deepEqual(r.sent.map((s) => s.text), ["a", "b"]);
});

Deno.test("send queue: when full, notifications go before replies, and it is logged", () => {
  const r = recorder();
  const logs: string[] = [];
  const q = new SendQueue(r.send, { burst: 1, intervalMs: 1000, maxLines: 5, log: (m) => logs.push(m) });
  for (let i = 0; i < 3; i++) q.push("bob", `note ${i}`, "notice");
  for (let i = 0; i < 4; i++) q.push("#c", `reply ${i}`);
  q.push("carol", "late note", "notice");
  assert.equal(q.size, 5);
  assert.equal(q.dropped, 3);
  assert.ok(logs.every((l) => /dropped a notification|dropped a notice/.test(l)), logs.join("\n"));
  q.resume();
  assert.deepEqual(r.sent.map((s) => s.text), ["note 2"]);
  q.clear();
});

Deno.test("send queue: long messages split at spaces within the byte budget, a few lines at most", () => {
  const r = recorder();
  const q = new SendQueue(r.send, {
    burst: 100,
    intervalMs: 10,
    lineBytes: 100,
    linesPerMessage: 3,
    log: () => {},
  });
  q.resume();
  q.push("#c", "word ".repeat(200) + "\r\nINJECT");
  assert.equal(r.sent.length, 3);
  for (const s of r.sent) {
    assert.ok(new TextEncoder().encode(s.text).length <= 100 - 2);
    assert.doesNotMatch(s.text, /[\r\n]/);
  }
  assert.match(r.sent[2].text, /…$/);
  q.clear();
});

Deno.test("send queue: server queries (WHOIS) go ahead of messages, in their order, within the same budget", async () => {
  const r = recorder();
  const q = new SendQueue(r.send, { burst: 2, intervalMs: 20, log: () => {} });
  q.resume();
  for (let i = 0; i < 4; i++) q.push("#c", `reply ${i}`);
  assert.equal(r.sent.length, 2, "the burst is spent on replies");
  for (let i = 0; i < 3; i++) q.query(() => r.send("server", `WHOIS n${i}`));
  assert.equal(r.sent.length, 2, "a query waits for the budget like any line");
  q.push("#c", "reply 4");
  await q.drain(5000);
  assert.deepEqual(r.sent.map((s) => s.text), [
    "reply 0",
    "reply 1",
    "WHOIS n0",
    "WHOIS n1",
    "WHOIS n2",
    "reply 2",
    "reply 3",
    "reply 4",
  ]);
  const gaps = r.sent.slice(2).map((s, i) => s.at - r.sent[i + 1].at);
  assert.ok(gaps.every((g) => g >= 15), `gaps ${gaps.map(Math.round)}`);
});
