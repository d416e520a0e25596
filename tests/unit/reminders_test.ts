/**
 * Reminders to followers with an injected clock: what falls due between two
 * moments (the sample event: Monday's MonA1 runs 09:00–10:45 UTC, MonA2
 * 11:00–12:30), the texts, the channel's lines, the bounds on follows, their
 * privacy, and the scheduler's exactly-once claim over a real KV file across
 * a simulated restart and between two processes, and the hand-over of the
 * notices a leaving process did not send.
 */
import assert from "node:assert/strict";
import { ALICE, BOB, sampleState } from "../helpers/fixtures.ts";
import {
  announcementLines,
  type Due,
  dueBetween,
  followersByTrack,
  noticesFor,
  noticeText,
} from "../../lib/state/reminders.ts";
import { dict, type State } from "../../lib/state/model.ts";
import { LIMITS } from "../../lib/state/limits.ts";
import { follow } from "../../lib/engine/follows.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { validateDocument } from "../../lib/state/document.ts";
import { Scheduler, type SchedulerDeps } from "../../lib/app/scheduler.ts";
import type { Notice } from "../../lib/state/reminders.ts";
import { Lease } from "../../lib/storage/lease.ts";
import { SendQueue } from "../../lib/irc/send_queue.ts";

const T = (hhmmss: string) => Date.parse(`2027-04-12T${hhmmss}Z`);
const UTC = { reminderMinutes: 5, timeZone: "UTC" };

/** Monday's MonA1 bookings of the sample event, by track. */
function mona1(state: State): string[] {
  return Object.values(state.schedule).map((r) => r.MonA1).filter((t) => t).sort();
}

Deno.test("due: the reminder falls due five minutes before, the start at the start", () => {
  const s = sampleState();
  const tracks = mona1(s);
  assert.ok(tracks.includes("nova"));
  const before = dueBetween(s, T("08:54:00"), T("08:55:00"), UTC);
  assert.deepEqual(before.map((d) => [d.kind, d.track]), tracks.map((t) => ["reminder", t]));
  assert.equal(before[0].at, T("08:55:00"));
  assert.deepEqual(dueBetween(s, T("08:55:00"), T("08:59:59"), UTC), []);
  const start = dueBetween(s, T("08:59:59"), T("09:00:00"), UTC);
  assert.deepEqual(start.map((d) => [d.kind, d.track]), tracks.map((t) => ["start", t]));
  const nova = start.find((d) => d.track === "nova")!;
  assert.deepEqual([nova.room, nova.slot, nova.start, nova.end], [
    "Ballroom A",
    "MonA1",
    T("09:00"),
    T("10:45"),
  ]);
});

Deno.test("due: after a gap, only what still matters (the start inside the slot, nothing after it)", () => {
  const s = sampleState();
  const inside = dueBetween(s, T("08:50:00"), T("09:30:00"), UTC);
  assert.deepEqual(new Set(inside.map((d) => d.kind)), new Set(["start"]), "the reminder is moot");
  assert.equal(inside.length, mona1(s).length);
  assert.deepEqual(dueBetween(s, T("08:50:00"), T("10:50:00"), UTC), [], "MonA1 is over");
  const next = dueBetween(s, T("08:50:00"), T("10:56:00"), UTC);
  assert.ok(next.length > 0 && next.every((d) => d.kind === "reminder" && d.slot === "MonA2"));
});

Deno.test("due: reminder_minutes 0 sends starts only; a back-to-back slot in the same room brings nothing", () => {
  const s = sampleState();
  assert.deepEqual(dueBetween(s, T("08:00"), T("08:59:59"), { ...UTC, reminderMinutes: 0 }), []);
  s.slots.Monday[1] = { ...s.slots.Monday[1], realtime: "2027-04-12T10:45:00Z" };
  const at = dueBetween(s, T("10:30"), T("10:45"), UTC);
  const ballroom = s.schedule["Ballroom A"];
  assert.equal(ballroom.MonA1, ballroom.MonA2);
  assert.ok(!at.some((d) => d.track === ballroom.MonA1), "the track just goes on");
});

Deno.test("notice texts: now, next, the room's video; late, and in the event's zone", () => {
  const s = sampleState();
  s.now.nova = "Live migration";
  s.next.nova = ["Placement", "Quotas"];
  const d = dueBetween(s, T("08:59"), T("09:00"), UTC).find((x) => x.track === "nova")!;
  assert.equal(
    noticeText(s, d, T("09:00:01"), "UTC"),
    "#nova starts now in Ballroom A until 10:45; now: Live migration; next: Placement (+1 more); " +
      "video: https://meet.example.org/ballroom-a",
  );
  assert.match(noticeText(s, d, T("09:20"), "UTC"), /^#nova started at 09:00 in Ballroom A until 10:45;/);
  assert.match(noticeText(s, d, T("09:00"), "Europe/Paris"), /^#nova starts now in Ballroom A until 12:45;/);
  const r = dueBetween(s, T("08:54"), T("08:55"), UTC).find((x) => x.track === "nova")!;
  assert.match(
    noticeText(s, r, T("08:55"), "UTC"),
    /^#nova starts at 09:00 \(in 5 min\) in Ballroom A until 10:45;/,
  );
});

Deno.test("notices: one per follower and moment; followers of removed tracks are skipped", () => {
  const s = sampleState();
  s.follows = dict({ alice: ["nova"], bob: ["nova", "gone"], carol: ["cinder"] });
  assert.deepEqual(followersByTrack(s).get("nova"), ["alice", "bob"]);
  assert.equal(followersByTrack(s).get("gone"), undefined);
  const due = dueBetween(s, T("08:59"), T("09:00"), UTC);
  const notices = noticesFor(s, due, T("09:00"), "UTC");
  assert.deepEqual(
    notices.map((n) => n.to).sort(),
    mona1(s).includes("cinder") ? ["alice", "bob", "carol"] : [
      "alice",
      "bob",
    ],
  );
});

Deno.test("announcement: one line per starting moment, split to fit", () => {
  const due: Due[] = Array.from({ length: 60 }, (_, i) => ({
    kind: "start",
    track: `track${i}`,
    room: `Room ${i}`,
    slot: "MonA1",
    start: T("09:00"),
    end: T("10:00"),
    at: T("09:00"),
  }));
  const lines = announcementLines(due, T("09:00"), "UTC");
  assert.ok(lines.length > 1);
  assert.ok(lines.every((l) => l.startsWith("Starting now: ") && l.length <= 350));
  const named = lines.flatMap((l) => l.slice("Starting now: ".length).split(", "));
  assert.deepEqual(named, due.map((d) => `#${d.track} (${d.room})`));
  assert.deepEqual(announcementLines(due.slice(0, 1), T("09:05"), "UTC"), [
    "Started at 09:00: #track0 (Room 0)",
  ]);
});

Deno.test("follows are bounded per person and overall, refusals one line", () => {
  const s = sampleState();
  s.tracks = [...s.tracks, ...Array.from({ length: LIMITS.followsPerPerson }, (_, i) => `t${i}`)].sort();
  const many = Array.from({ length: LIMITS.followsPerPerson + 1 }, (_, i) => i ? `t${i - 1}` : "nova");
  const out = follow(s, BOB, many);
  assert.equal(out.changes.length, 0);
  assert.deepEqual(out.replies.map((r) => [r.refusal, r.text.includes("\n")]), [[true, false]]);
  assert.match(out.replies[0].text, /^You may follow 30 tracks at most/);
  for (let i = 0; i < LIMITS.followers; i++) s.follows[`p${i}`] = ["nova"];
  const full = follow(s, ALICE, ["nova"]);
  assert.equal(full.changes.length, 0);
  assert.match(full.replies[0].text, /^Too many people follow tracks/);
  s.follows.alice = ["cinder"];
  assert.equal(follow(s, ALICE, ["nova"]).changes.length, 1, "someone following already may add more");
});

Deno.test("follows are private: not in ptg.json, in the full backup, which imports back", () => {
  const s = sampleState();
  s.follows = dict({ alice: ["nova", "cinder"] });
  assert.ok(!stateToJson(s).includes("follows"));
  const backup = stateToJson(s, true);
  assert.match(backup, /"follows":\{"alice":\["nova","cinder"\]\}/);
  const doc = validateDocument(JSON.parse(backup));
  assert.ok(doc.ok);
  assert.deepEqual(doc.doc.follows, dict({ alice: ["nova", "cinder"] }));
  const bad = validateDocument({ follows: { x: Array.from({ length: 31 }, (_, i) => `t${i}`) } });
  assert.ok(!bad.ok);
});

/** A scheduler over `kv` with an injected clock, counting what it queued. */
function scheduler(
  kv: Deno.Kv,
  state: State,
  clock: { now: number },
  leaseCheck: SchedulerDeps["leaseCheck"],
  room?: () => number,
  more: Partial<SchedulerDeps> = {},
): { s: Scheduler; sent: Notice[]; lines: string[] } {
  const sent: Notice[] = [];
  const lines: string[] = [];
  const s = new Scheduler({
    kv,
    state: () => state,
    now: () => new Date(clock.now),
    settings: UTC,
    announce: true,
    canSend: () => true,
    leaseCheck,
    room,
    send: (n, l) => {
      sent.push(...n);
      lines.push(...l);
    },
    log: (l) => {
      throw new Error(l);
    },
    ...more,
  });
  return { s, sent, lines };
}

/** A check that holds as long as nobody writes this key (a lease nobody contests). */
const uncontested = () => Promise.resolve({ key: ["test", "lease"], versionstamp: null });

Deno.test("scheduler: exactly once across a restart on a real KV file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
  const path = `${dir}/state.kv`;
  const state = sampleState();
  state.follows = dict({ alice: ["nova"] });
  const clock = { now: T("08:54:00") };
  let kv = await Deno.openKv(path);
  let run = scheduler(kv, state, clock, uncontested);
  assert.deepEqual(
    await run.s.tick(),
    { notices: 0, lines: 0, taken: 0 },
    "the first run only sets the mark",
  );
  clock.now = T("08:55:00");
  assert.equal((await run.s.tick()).notices, 1);
  assert.equal((await run.s.tick()).notices, 0, "a second tick at the same moment sends nothing");
  clock.now = T("08:57:00");
  assert.equal((await run.s.tick()).notices, 0);
  assert.match(run.sent[0].text, /^#nova starts at 09:00 \(in 5 min\)/);
  kv.close(); // the process stops before 09:00

  clock.now = T("09:12:00"); // back inside the slot
  kv = await Deno.openKv(path);
  run = scheduler(kv, state, clock, uncontested);
  assert.equal((await run.s.tick()).notices, 1);
  assert.match(run.sent[0].text, /^#nova started at 09:00 in Ballroom A/);
  assert.ok(run.lines.length >= 1 && run.lines[0].startsWith("Started at 09:00: "));
  kv.close(); // stopped again: restarted once more at once
  kv = await Deno.openKv(path);
  run = scheduler(kv, state, clock, uncontested);
  clock.now = T("09:12:01");
  assert.equal((await run.s.tick()).notices, 0, "never twice");
  kv.close();

  // A restart after MonA1 ended hears nothing of it.
  const kv2 = await Deno.openKv(`${dir}/other.kv`);
  const later = { now: T("08:58:00") };
  const r2 = scheduler(kv2, state, later, uncontested);
  await r2.s.tick();
  later.now = T("10:50:00");
  assert.equal((await r2.s.tick()).notices, 0);
  kv2.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduler: two processes ticking at once claim a moment once; a lost lease claims nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
  const path = `${dir}/state.kv`;
  const state = sampleState();
  state.follows = dict({ alice: ["nova"], bob: ["nova"] });
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const clock = { now: T("08:50:00") };
  // Real leases: A holds it, B waits.
  const noop = { gained() {}, lost() {} };
  const leaseA = new Lease(kvA, "a", noop, { ttlMs: 60_000 });
  const leaseB = new Lease(kvB, "b", noop, { ttlMs: 60_000 });
  leaseA.start();
  while (!leaseA.held) await new Promise((r) => setTimeout(r, 10));
  leaseB.start();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(!leaseB.held);
  const a = scheduler(kvA, state, clock, () => leaseA.heldCheck());
  const b = scheduler(kvB, state, clock, () => leaseB.heldCheck());
  // B even thinks it may send (a stale view): without the lease it claims nothing.
  const bLies = scheduler(kvB, state, clock, uncontested);
  await a.s.tick();
  clock.now = T("09:00:00");
  const results = await Promise.all([a.s.tick(), b.s.tick(), bLies.s.tick()]);
  const total = results.reduce((n, r) => n + r.notices, 0);
  assert.equal(total, 2, "alice and bob told once, by one process");
  assert.equal(b.sent.length, 0);
  await leaseA.release();
  await leaseB.release();
  kvA.close();
  kvB.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("scheduler: notices wait for room in the send queue and go in order as it drains", async () => {
  const kv = await Deno.openKv(":memory:");
  const state = sampleState();
  const fans = Array.from({ length: 7 }, (_, i) => `fan${i}`);
  state.follows = dict(Object.fromEntries(fans.map((f) => [f, ["nova"]])));
  const clock = { now: T("08:59:00") };
  let queued = 0; // lines in a pretend send queue that takes 3
  const run = scheduler(kv, state, clock, uncontested, () => 3 - queued);
  await run.s.tick();
  clock.now = T("09:00:00");
  assert.equal((await run.s.tick()).notices, 7, "all seven claimed at once");
  assert.equal(run.sent.length, 3);
  assert.equal(run.s.waiting, 4);
  queued = 3;
  await run.s.tick();
  assert.equal(run.sent.length, 3, "no room: they wait");
  queued = 0;
  await run.s.tick();
  await run.s.tick();
  assert.deepEqual(run.sent.map((n) => n.to), fans);
  assert.equal(run.s.waiting, 0);
  kv.close();
});

/** Two processes on one KV file with real leases: A holds the lease, B waits for it. */
async function twoProcesses(path: string) {
  const kvA = await Deno.openKv(path);
  const kvB = await Deno.openKv(path);
  const noop = { gained() {}, lost() {} };
  const leaseA = new Lease(kvA, "a", noop, { ttlMs: 60_000, pollMs: 10 });
  const leaseB = new Lease(kvB, "b", noop, { ttlMs: 60_000, pollMs: 10 });
  leaseA.start();
  while (!leaseA.held) await new Promise((r) => setTimeout(r, 10));
  leaseB.start();
  return { kvA, kvB, leaseA, leaseB };
}

/**
 * A claims 09:00 for ten followers and hands six to a real send queue that
 * writes three (its burst) and keeps three; four wait in A. A stops cleanly
 * and gives the lease up; B gains it and ticks at `back`. What A wrote and
 * what B sends are returned.
 */
async function handOver(back: number) {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
  const { kvA, kvB, leaseA, leaseB } = await twoProcesses(`${dir}/state.kv`);
  const state = sampleState();
  const fans = Array.from({ length: 10 }, (_, i) => `fan${i}`);
  state.follows = dict(Object.fromEntries(fans.map((f) => [f, ["nova"]])));
  const clock = { now: T("08:59:00") };
  const written: string[] = [];
  const queue = new SendQueue((_command, target) => written.push(target), {
    burst: 3,
    intervalMs: 60_000,
    now: () => 0,
    setTimer: () => 0,
    clearTimer: () => {},
  });
  queue.resume();
  const logs: string[] = [];
  const a = scheduler(kvA, state, clock, () => leaseA.heldCheck(), () => 6 - queue.size, {
    send: (notices) => {
      for (const n of notices) queue.push(n.to, n.text, { person: n.to, kind: "notice", tag: n });
    },
    takeBack: () => queue.takeBack("notice").map((m) => m.tag as Notice),
    log: (l) => logs.push(l),
  });
  await a.s.tick();
  clock.now = T("09:00:00");
  assert.equal((await a.s.tick()).notices, 10);
  assert.deepEqual(written, ["fan0", "fan1", "fan2"]);
  // Somebody else's notification in the queue is not the scheduler's: it stays.
  queue.push("zed", "a notification", { person: "zed", kind: "notice" });
  assert.equal(a.s.waiting, 4);
  assert.equal(queue.size, 4);

  const b = scheduler(kvB, state, clock, () => leaseB.heldCheck(), undefined, { log: (l) => logs.push(l) });
  assert.equal((await b.s.tick()).taken, 0, "nothing is pending yet, and B does not lead");
  await a.s.stop();
  assert.equal(queue.size, 1, "the scheduler's notices were taken back, the other line stays");
  assert.equal(a.s.waiting, 0);
  assert.equal((await b.s.tick()).taken, 0, "without the lease B takes nothing");
  await leaseA.release();
  while (!leaseB.held) await new Promise((r) => setTimeout(r, 10));
  clock.now = back;
  const first = await b.s.tick();
  const again = await b.s.tick();
  await leaseB.release();
  kvA.close();
  kvB.close();
  await Deno.remove(dir, { recursive: true });
  return { fans, written, first, again, sentByB: b.sent, logs };
}

Deno.test("scheduler: notices not sent when the leader stops go out once from the next leader", async () => {
  const { fans, written, first, again, sentByB, logs } = await handOver(T("09:00:40"));
  assert.equal(first.taken, 7);
  assert.equal(first.notices, 0, "the moment itself is not claimed again");
  assert.deepEqual([...written, ...sentByB.map((n) => n.to)].sort(), fans.sort(), "every follower once");
  assert.match(sentByB[0].text, /^#nova starts now in Ballroom A/);
  assert.equal(again.taken, 0, "taken once");
  assert.equal(sentByB.length, 7);
  assert.ok(logs.some((l) => l.includes("7 notices not sent are left for the next leader")), logs.join("\n"));
});

Deno.test("scheduler: notices left behind are said late inside the slot, and dropped once it ended", async () => {
  const late = await handOver(T("09:20:00"));
  assert.equal(late.sentByB.length, 7);
  assert.match(late.sentByB[0].text, /^#nova started at 09:00 in Ballroom A/);
  const over = await handOver(T("10:46:00")); // MonA1 ended at 10:45
  assert.equal(over.first.taken, 7);
  assert.equal(over.sentByB.length, 0, "no longer worth sending");
  assert.equal(over.again.taken, 0, "and gone from KV");
});

Deno.test("scheduler: a follower who stopped following meanwhile is not told", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-reminders-" });
  const kv = await Deno.openKv(`${dir}/state.kv`);
  const state = sampleState();
  state.follows = dict({ alice: ["nova"], bob: ["nova"] });
  const clock = { now: T("08:59:00") };
  const logs: string[] = [];
  const a = scheduler(kv, state, clock, uncontested, () => 0, { log: (l) => logs.push(l) });
  await a.s.tick();
  clock.now = T("09:00:00");
  await a.s.tick();
  assert.equal(await a.s.park(), 2);
  state.follows = dict({ alice: ["nova"] });
  const b = scheduler(kv, state, clock, uncontested, undefined, { log: (l) => logs.push(l) });
  assert.equal((await b.s.tick()).taken, 2);
  assert.deepEqual(b.sent.map((n) => n.to), ["alice"]);
  kv.close();
  await Deno.remove(dir, { recursive: true });
});
