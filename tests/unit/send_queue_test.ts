/**
 * The outgoing queue on a clock the tests move by hand: a burst then the
 * pace; one line per person in turn, each person's lines in order; answers
 * before notifications; bounded per person and in all, with what was not sent
 * counted and told; notifications as NOTICE; no control codes sent.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { CLASS_RULES, type LineClass, type QueueOptions, SendQueue } from "../../lib/irc/send_queue.ts";
import { FakeTime } from "../helpers/fake_time.ts";

interface Sent {
  command: string;
  target: string;
  text: string;
  at: number;
}

function setup(opts: Partial<QueueOptions> = {}) {
  const time = new FakeTime();
  const sent: Sent[] = [];
  const logs: string[] = [];
  const queue = new SendQueue((command, target, text) => sent.push({ command, target, text, at: time.t }), {
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    log: (l) => logs.push(l),
    ...opts,
  });
  /** A reply to `person` in private (target = the person), or a notification with `kind`. */
  const say = (person: string, text: string, kind: LineClass = "reply") =>
    queue.push(person, text, { person, kind });
  const texts = () => sent.map((s) => s.text);
  return { time, sent, logs, queue, say, texts };
}

Deno.test("send queue: a burst, then one line per interval, in order", () => {
  const { time, sent, queue, say, texts } = setup({ burst: 3, intervalMs: 50 });
  queue.resume();
  for (let i = 0; i < 8; i++) say("ann", `line ${i}`);
  assert.equal(sent.length, 3, "the burst goes at once");
  time.advance(49);
  assert.equal(sent.length, 3);
  time.advance(1000);
  assert.deepEqual(texts(), Array.from({ length: 8 }, (_, i) => `line ${i}`));
  assert.deepEqual(sent.map((s) => s.at), [0, 0, 0, 50, 100, 150, 200, 250]);
  assert.equal(time.pending, 0, "no timer left once empty");
});

Deno.test("send queue: paused while disconnected, nothing lost; drain resolves when empty", async () => {
  const { time, queue, say, texts } = setup({ burst: 1, intervalMs: 10 });
  say("#c", "a");
  say("bob", "b", "notice");
  assert.deepEqual(texts(), []);
  queue.resume();
  const drained = queue.drain(1000);
  time.advance(10);
  await drained;
  assert.deepEqual(texts(), ["a", "b"]);
  queue.pause();
  say("#c", "c");
  time.advance(1000);
  assert.deepEqual(texts(), ["a", "b"], "nothing goes while paused");
});

Deno.test("send queue: people take turns, one line each, each person's lines in order", () => {
  const { time, queue, texts } = setup({ burst: 1, intervalMs: 100 });
  // Three busy people in the channel, then a fourth asking privately.
  for (let i = 0; i < 6; i++) {
    for (const p of ["a", "b", "c"]) queue.push("#c", `${p}: ${i}`, { person: p });
  }
  queue.push("dan", "dan's answer", { person: "dan" });
  queue.resume();
  time.advance(100 * 30);
  assert.deepEqual(texts().slice(0, 8), [
    "a: 0",
    "b: 0",
    "c: 0",
    "dan's answer",
    "a: 1",
    "b: 1",
    "c: 1",
    "a: 2",
  ]);
  for (const p of ["a", "b", "c"]) {
    assert.deepEqual(
      texts().filter((t) => t.startsWith(`${p}:`)),
      Array.from({ length: 6 }, (_, i) => `${p}: ${i}`),
    );
  }
});

Deno.test("send queue: a newcomer goes before the busy in the round, and gets one line per round", () => {
  const { time, queue, say, texts } = setup({ burst: 1, intervalMs: 100 });
  for (let i = 0; i < 20; i++) for (const p of ["a", "b", "c"]) say(p, `${p}${i}`);
  queue.resume();
  time.advance(350); // a round of a0 b0 c0, then a1 of the next
  say("dan", "dan1");
  time.advance(100);
  assert.deepEqual(texts(), ["a0", "b0", "c0", "a1", "dan1"], "dan had no line this round: he goes before b");
  // Dan has had his line this round: more of his wait for the next rounds, one line each.
  say("dan", "dan2");
  say("dan", "dan3");
  time.advance(700);
  assert.deepEqual(texts().slice(5), ["b1", "c1", "dan2", "a2", "b2", "c2", "dan3"]);
});

Deno.test("send queue: answers never wait behind notifications, which take turns per recipient", () => {
  const { time, sent, queue, say } = setup({ burst: 1, intervalMs: 100 });
  for (let i = 0; i < 4; i++) say("nina", `nina note ${i}`, "notice");
  for (let i = 0; i < 2; i++) say("omar", `omar note ${i}`, "notice");
  say("#c", "answer 0");
  queue.resume();
  time.advance(50); // answer 0 went; the next token is 50 ms away
  say("#c", "answer 1");
  time.advance(1000);
  assert.deepEqual(sent.map((s) => `${s.command} ${s.target} ${s.text}`), [
    "PRIVMSG #c answer 0",
    "PRIVMSG #c answer 1",
    "NOTICE nina nina note 0",
    "NOTICE omar omar note 0",
    "NOTICE nina nina note 1",
    "NOTICE omar omar note 1",
    "NOTICE nina nina note 2",
    "NOTICE nina nina note 3",
  ]);
});

Deno.test("send queue: lines beyond a person's share are declined, counted and told once, after their lines", () => {
  const { time, queue, say, logs, texts } = setup({ burst: 1, intervalMs: 100, perPerson: { reply: 3 } });
  queue.push("#c", "ann: 0", { person: "ann", notSent: (n) => `ann: ${n} not sent` });
  for (let i = 1; i < 7; i++) {
    queue.push("#c", `ann: ${i}`, { person: "ann", notSent: (n) => `ann: ${n} not sent` });
  }
  say("bob", "bob's answer");
  assert.equal(queue.held("ann"), 3);
  assert.equal(queue.dropped, 4);
  assert.equal(logs.length, 1, `one log line per person and episode: ${logs.join("\n")}`);
  assert.match(logs[0], /not sending a reply to #c \(ann has 3 waiting\)/);
  queue.resume();
  time.advance(1000);
  assert.deepEqual(texts(), ["ann: 0", "bob's answer", "ann: 1", "ann: 2", "ann: 4 not sent"]);
  // Told once: the next line goes out plainly.
  say("ann", "later");
  time.advance(1000);
  assert.deepEqual(texts().slice(5), ["later"]);
  // A message that does not fit whole is declined whole.
  const long = setup({ burst: 1, intervalMs: 100, perPerson: { reply: 3 }, lineBytes: 40 });
  long.say("ann", "x".repeat(20));
  long.say("ann", "word ".repeat(20)); // three lines: one too many
  assert.equal(long.queue.held("ann"), 1);
  assert.equal(long.queue.dropped, 3);
});

Deno.test("send queue: the default texts of what was not sent", () => {
  assert.equal(
    CLASS_RULES.reply.notSent(1),
    "1 line of answers to you was not sent (too many were waiting; the commands themselves were carried out)",
  );
  assert.equal(
    CLASS_RULES.notice.notSent(3),
    "3 notifications for you were not sent (too many were waiting)",
  );
});

Deno.test("send queue: when the whole queue is full, notifications make room for answers; then answers are declined", () => {
  const { time, queue, say, logs, sent } = setup({ burst: 1, intervalMs: 100, maxLines: 6 });
  for (let i = 0; i < 3; i++) say("nina", `nina note ${i}`, "notice");
  say("omar", "omar note", "notice");
  for (let i = 0; i < 4; i++) say(`p${i}`, `answer ${i}`);
  assert.equal(queue.size, 6);
  assert.equal(queue.dropped, 2);
  assert.equal(queue.held("nina", "notice"), 1, "the recipient holding most gives way first");
  assert.equal(queue.held("omar", "notice"), 1);
  for (let i = 4; i < 7; i++) say(`p${i}`, `answer ${i}`);
  assert.equal(queue.size, 6);
  assert.equal(queue.dropped, 5);
  assert.equal(queue.held("nina", "notice") + queue.held("omar", "notice"), 0);
  assert.ok(logs.some((l) => /put out a notice to nina/.test(l)), logs.join("\n"));
  assert.ok(
    logs.some((l) => /not sending a reply to p6 \(the queue holds 6 lines\)/.test(l)),
    logs.join("\n"),
  );
  queue.resume();
  time.advance(100 * 20);
  assert.deepEqual(sent.map((s) => `${s.command} ${s.target} ${s.text}`), [
    ...[0, 1, 2, 3, 4, 5].map((i) => `PRIVMSG p${i} answer ${i}`),
    `PRIVMSG p6 ${CLASS_RULES.reply.notSent(1)}`,
    `NOTICE nina ${CLASS_RULES.notice.notSent(3)}`,
    `NOTICE omar ${CLASS_RULES.notice.notSent(1)}`,
  ]);
  assert.equal(queue.size, 0);
  assert.equal(queue.people, 0, "nobody kept once everything went out");
});

Deno.test("send queue: memory stays bounded under 10,000 people and lines", () => {
  const { time, queue, say, logs } = setup({ burst: 4, intervalMs: 700, maxLines: 500 });
  queue.resume();
  for (let i = 0; i < 10_000; i++) {
    say(`p${i % 700}`, `answer ${i}`);
    say(`n${i}`, `note ${i}`, "notice");
  }
  assert.ok(queue.size <= 500, `${queue.size} lines held`);
  // Per class: people with lines (at most 500), owed a report or just served (at most 500 each).
  assert.ok(queue.people <= 2 * 3 * 500, `${queue.people} people kept`);
  assert.ok(logs.some((l) => /too many people are owed a report/.test(l)), logs.join("\n"));
  time.advance(700 * 2000);
  assert.equal(queue.size, 0);
  assert.equal(queue.people, 0);
  assert.match(logs.at(-1)!, /\d+ lines were not sent and their people not told/);
});

Deno.test("send queue: server queries (WHOIS) go ahead of messages, in their order, within the same budget", () => {
  const { time, sent, queue, say, texts } = setup({ burst: 2, intervalMs: 20 });
  queue.resume();
  for (let i = 0; i < 4; i++) say("#c", `reply ${i}`);
  assert.equal(sent.length, 2, "the burst is spent on replies");
  for (let i = 0; i < 3; i++) {
    queue.query(() => sent.push({ command: "WHOIS", target: "", text: `n${i}`, at: time.t }));
  }
  assert.equal(sent.length, 2, "a query waits for the budget like any line");
  say("#c", "reply 4");
  time.advance(1000);
  assert.deepEqual(texts(), ["reply 0", "reply 1", "n0", "n1", "n2", "reply 2", "reply 3", "reply 4"]);
  assert.deepEqual(sent.map((s) => s.at), [0, 0, 20, 40, 60, 80, 100, 120]);
});

Deno.test("send queue: long messages split at spaces within the byte budget; control codes never sent", () => {
  const { queue, sent, say } = setup({ burst: 100, intervalMs: 10, lineBytes: 100, linesPerMessage: 3 });
  queue.resume();
  say("#c", "word ".repeat(200) + "\r\nINJECT");
  assert.equal(sent.length, 3);
  for (const s of sent) {
    assert.ok(new TextEncoder().encode(s.text).length <= 100 - 2);
    assert.doesNotMatch(s.text, /[\r\n]/);
  }
  assert.match(sent[2].text, /…$/);
  sent.length = 0;
  say("#c", "\x02bold\x02 \x0304,12red\x03 \x0fplain\x16\x1d\x1e\x1f\x11 \x01ACTION x\x01\ttab\x07\x1b[31m");
  say("#c", "\x03\x02\x0f");
  assert.deepEqual(
    sent.map((s) => s.text),
    ["bold red plain ACTION x tab[31m"],
    "a line of only codes is not sent",
  );
});

Deno.test("send queue: random traffic keeps each person's order, and nobody waits more than a line per other person", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          person: fc.integer({ min: 0, max: 5 }),
          notice: fc.boolean(),
          gap: fc.oneof(fc.constant(0), fc.nat(60), fc.nat(400)),
        }),
        { maxLength: 120 },
      ),
      (script) => {
        const { time, queue, sent } = setup({ burst: 2, intervalMs: 100 });
        queue.resume();
        const pushed: { person: string; text: string; notice: boolean; sentBefore: number }[] = [];
        script.forEach(({ person, notice, gap }, i) => {
          time.advance(gap);
          const p = `p${person}`;
          const text = `${p} ${i}`;
          pushed.push({ person: p, text, notice, sentBefore: sent.length });
          queue.push(p, text, { person: p, kind: notice ? "notice" : "reply" });
        });
        time.advance(100 * 400);
        assert.equal(sent.length, script.length, "everything went out");
        for (const kind of ["PRIVMSG", "NOTICE"]) {
          for (let person = 0; person < 6; person++) {
            const mine = (s: { text: string }) => s.text.startsWith(`p${person} `);
            assert.deepEqual(
              sent.filter((s) => s.command === kind && mine(s)).map((s) => s.text),
              pushed.filter((l) => (l.notice ? "NOTICE" : "PRIVMSG") === kind && mine(l)).map((l) => l.text),
            );
          }
        }
        // A reply waits for the lines of its own person ahead of it, and for at most one more
        // line of every other person.
        for (const l of pushed.filter((l) => !l.notice)) {
          const at = sent.findIndex((s) => s.text === l.text);
          const between = sent.slice(Math.max(l.sentBefore, 0), at).filter((s) => s.command === "PRIVMSG");
          const ownAhead = between.filter((s) => s.target === l.person).length;
          const others = new Map<string, number>();
          for (const s of between) {
            if (s.target !== l.person) others.set(s.target, (others.get(s.target) ?? 0) + 1);
          }
          for (const [who, n] of others) {
            assert.ok(
              n <= ownAhead + 1,
              `${l.text} waited for ${n} lines of ${who} with ${ownAhead} of its own`,
            );
          }
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("send queue: tagged notices still waiting whole are taken back; written lines and others stay", () => {
  const { time, queue, texts } = setup({ burst: 1, intervalMs: 100, lineBytes: 30, linesPerMessage: 3 });
  queue.resume();
  const long = "first part of it and the second part of it";
  // Two lines: the first goes at once (the burst), so the message is no longer whole.
  queue.push("ann", long, { person: "ann", kind: "notice", tag: "ann's" });
  queue.push("bob", "for bob", { person: "bob", kind: "notice", tag: "bob's" });
  queue.push("cyd", "not the scheduler's", { person: "cyd", kind: "notice" });
  queue.push("ann", "ann again", { person: "ann", kind: "notice", tag: "ann's 2" });
  queue.push("dan", "an answer", { person: "dan", tag: "answer" });
  assert.equal(texts().length, 1);
  const back = queue.takeBack("notice");
  assert.deepEqual(back.map((m) => [m.person, m.target, m.tag]), [["ann", "ann", "ann's 2"], [
    "bob",
    "bob",
    "bob's",
  ]]);
  assert.equal(queue.size, 3, "the rest of ann's first message, cyd's line, dan's answer");
  time.advance(1000);
  assert.equal(texts().length, 4);
  assert.ok(texts().every((t) => !t.includes("bob") && !t.includes("again")), texts().join(" | "));
  assert.deepEqual(queue.takeBack("notice"), []);
});
