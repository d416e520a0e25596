/**
 * The per-person queue on a clock the tests move by hand: a burst at once,
 * then the pace; order per person; nobody waits for anybody else; a bounded
 * queue with one report of what was refused; idle people forgotten; timers
 * gone after stop.
 */
import assert from "node:assert/strict";
import { MAX_WAITING, UserQueue, type UserQueueOptions } from "../../lib/irc/user_queue.ts";
import { FakeTime, settle } from "../helpers/fake_time.ts";

function setup(opts: Pick<UserQueueOptions, "burst" | "intervalMs"> & Partial<UserQueueOptions>) {
  const time = new FakeTime();
  const logs: string[] = [];
  const queue = new UserQueue({
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    log: (l) => logs.push(l),
    ...opts,
  });
  /** What ran, as `key:label@time`, plus reports as `key:report N@time`. */
  const done: string[] = [];
  const push = (key: string, label: string | number, job?: () => Promise<void>) =>
    queue.push(
      key,
      job ?? (() => void done.push(`${key}:${label}@${time.t}`)),
      (n) => done.push(`${key}:report ${n}@${time.t}`),
    );
  return { time, queue, done, push, logs };
}

Deno.test("user queue: a burst is handled at once, then one line per interval", async () => {
  const { time, done, push } = setup({ burst: 3, intervalMs: 1000 });
  for (let i = 0; i < 5; i++) assert.equal(push("a", i), true);
  await settle();
  assert.deepEqual(done, ["a:0@0", "a:1@0", "a:2@0"]);
  await time.advanceSettled(999);
  assert.equal(done.length, 3, "no token before its time");
  await time.advanceSettled(1);
  assert.deepEqual(done.slice(3), ["a:3@1000"]);
  await time.advanceSettled(1000);
  assert.deepEqual(done.slice(4), ["a:4@2000"]);
  assert.equal(time.pending, 0, "nothing left to wait for");
});

Deno.test("user queue: a 15-line paste gets 15 results, in order, each after the one before", async () => {
  const { time, push } = setup({ burst: 3, intervalMs: 150 });
  const events: string[] = [];
  // Each line takes a while (as a command that waits for storage does), so
  // order depends on the queue and not on every job being instant.
  const slow = (i: number) => async () => {
    events.push(`start ${i}@${time.t}`);
    for (let k = 0; k < 5; k++) await Promise.resolve();
    events.push(`end ${i}`);
  };
  for (let i = 0; i < 15; i++) push("paster", i, slow(i));
  await time.advanceSettled(5000);
  const starts = events.filter((e) => e.startsWith("start"));
  assert.equal(starts.length, 15);
  assert.deepEqual(
    events,
    Array.from({ length: 15 }, (_, i) => [starts[i], `end ${i}`]).flat(),
    "each line starts only after the previous one ended",
  );
  const at = starts.map((s) => Number(s.split("@")[1]));
  assert.deepEqual(at.slice(0, 3), [0, 0, 0]);
  // From the fourth on, one per interval: no line earlier than its token.
  at.slice(3).forEach((t, k) => assert.equal(t, (k + 1) * 150, `line ${k + 3} at ${t}`));
});

Deno.test("user queue: another person is handled at once while the first waits, even on a stuck line", async () => {
  const { time, queue, done, push } = setup({ burst: 2, intervalMs: 1000 });
  for (let i = 0; i < 10; i++) push("a", i);
  await settle();
  assert.deepEqual(done, ["a:0@0", "a:1@0"]);
  push("b", 0);
  await settle();
  assert.deepEqual(done.slice(2), ["b:0@0"]);
  assert.equal(queue.waiting("a"), 8);

  // A line that never finishes holds up its own person only.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  push("c", "stuck", async () => {
    await gate;
    done.push(`c:stuck@${time.t}`);
  });
  push("c", "after");
  push("d", 0);
  await time.advanceSettled(500);
  assert.ok(done.includes("d:0@0"), done.join(" "));
  assert.ok(!done.some((d) => d.startsWith("c:")));
  release();
  await settle();
  assert.deepEqual(done.filter((d) => d.startsWith("c:")), ["c:stuck@500", "c:after@500"]);
});

Deno.test("user queue: beyond the bound lines are refused, and one report with the count comes after the queue drained", async () => {
  const { time, queue, done, push } = setup({ burst: 1, intervalMs: 100 });
  const taken = Array.from({ length: MAX_WAITING + 5 }, (_, i) => push("a", i));
  // One runs at once; MAX_WAITING wait; the rest are refused.
  assert.deepEqual(taken, [...Array(MAX_WAITING + 1).fill(true), false, false, false, false]);
  assert.equal(queue.waiting("a"), MAX_WAITING);
  assert.equal(push("a", "late"), false, "still full");
  push("b", 0);
  await time.advanceSettled(100 * MAX_WAITING - 1);
  assert.ok(!done.some((d) => d.includes("report")), "no report while lines wait");
  await time.advanceSettled(1);
  const mine = done.filter((d) => d.startsWith("a:"));
  assert.deepEqual(mine, [
    ...Array.from({ length: MAX_WAITING + 1 }, (_, i) => `a:${i}@${i * 100}`),
    `a:report 5@${MAX_WAITING * 100}`,
  ]);
  await time.advanceSettled(10_000);
  assert.equal(done.filter((d) => d.includes("report")).length, 1, "exactly one report");
  // A later overflow is a new count.
  for (let i = 0; i < MAX_WAITING + 3; i++) push("a", `again ${i}`);
  await time.advanceSettled(100 * (MAX_WAITING + 5));
  assert.deepEqual(done.filter((d) => d.includes("report")).map((d) => d.split("@")[0]), [
    "a:report 5",
    "a:report 2",
  ]);
});

Deno.test("user queue: the report goes where the latest refused line came from", async () => {
  const { time, queue } = setup({ burst: 1, intervalMs: 10, maxWaiting: 2 });
  const told: string[] = [];
  for (const where of ["channel", "channel", "channel", "channel", "private"]) {
    queue.push("a", () => {}, (n) => told.push(`${where} ${n}`));
  }
  await time.advanceSettled(100);
  assert.deepEqual(told, ["private 2"]);
});

Deno.test("user queue: a line that throws is logged and the next one still runs", async () => {
  const { time, done, push, logs } = setup({ burst: 5, intervalMs: 10 });
  push("a", "bad", () => Promise.reject(new Error("broken line")));
  push("a", "good");
  await time.advanceSettled(0);
  assert.deepEqual(done, ["a:good@0"]);
  assert.ok(logs.some((l) => l.includes("broken line")), logs.join("\n"));
});

Deno.test("user queue: idle people are forgotten once their bucket is full; busy ones are kept", async () => {
  const { time, queue, done, push } = setup({ burst: 2, intervalMs: 100 });
  for (let i = 0; i < 500; i++) push(`nick${i}`, 0);
  for (let i = 0; i < 5; i++) push("busy", i);
  await settle();
  assert.equal(queue.people, 501);
  await time.advanceSettled(150);
  push("new", 0);
  assert.equal(queue.people, 502, "buckets not yet full are kept");
  await time.advanceSettled(50);
  push("newer", 0);
  // Only those still busy or refilling remain: "busy" waits for tokens, the two new ones refill.
  assert.equal(queue.people, 3);
  assert.equal(queue.waiting("busy"), 1);
  // A person whose line is stuck is kept however long it takes, and goes on after.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  push("stuck", "slow", () => gate);
  push("stuck", "next");
  await time.advanceSettled(1000);
  push("other", 0);
  assert.equal(queue.waiting("stuck"), 1);
  release();
  await settle();
  assert.ok(done.includes("stuck:next@1200"), done.join(" "));
  // A forgotten person starts again with a full burst, as before.
  done.length = 0;
  push("nick7", "a");
  push("nick7", "b");
  push("nick7", "c");
  await settle();
  assert.deepEqual(done, ["nick7:a@1200", "nick7:b@1200"]);
});

Deno.test("user queue: stop clears every timer and waiting line; a running line starts nothing after it", async () => {
  const { time, queue, done, push } = setup({ burst: 1, intervalMs: 1000 });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  push("a", "running", async () => {
    await gate;
    done.push("a:running");
  });
  push("a", "waits");
  for (let i = 0; i < 3; i++) push("b", i);
  await settle();
  assert.ok(time.pending > 0);
  queue.stop();
  assert.equal(time.pending, 0);
  assert.equal(queue.people, 0);
  release();
  await time.advanceSettled(10_000);
  assert.deepEqual(done, ["b:0@0", "a:running"]);
  assert.equal(time.pending, 0);
  // Usable again afterwards.
  push("a", "fresh");
  await settle();
  assert.deepEqual(done.slice(2), ["a:fresh@10000"]);
});

// The default timers, watched through the globals they call (Deno's test
// sanitizer does not report a pending timer).
Deno.test("user queue: with the real clock and timers, stop leaves no timer running", async () => {
  const live = new Set<unknown>();
  const [realSet, realClear] = [globalThis.setTimeout, globalThis.clearTimeout];
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const id = realSet(() => {
      live.delete(id);
      fn();
    }, ms);
    live.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: number) => {
    live.delete(id);
    realClear(id);
  }) as typeof clearTimeout;
  try {
    const queue = new UserQueue({ burst: 1, intervalMs: 60_000, log: () => {} });
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) queue.push("a", () => void ran.push(i), () => {});
    await new Promise((r) => realSet(r, 0));
    assert.deepEqual(ran, [0]);
    assert.equal(queue.waiting("a"), 2);
    assert.equal(live.size, 1, "the second line waits on a timer");
    queue.stop();
    assert.equal(live.size, 0);
  } finally {
    for (const id of live) realClear(id as number);
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
});
