/**
 * The one scheduler of time-driven work: reminders before a followed
 * track's slot, notices when it starts, and the optional channel
 * announcement. It runs in every process but acts only in the one that
 * holds the IRC lease and is in the channel. Each tick reads the mark in KV
 * (`reminder_mark.ts`), works out what fell due since (`reminders.ts`, on
 * the event's clock), moves the mark in one atomic commit checked against
 * the lease, and only then queues the notices as notifications, as fast as
 * the send queue has room for them: a moment is claimed once, by one
 * process, and never sent twice (docs/reminders.md).
 *
 * A process that leaves the lead (a clean stop, a hand-over, the lease
 * lost) parks: it hands out no more notices, takes back those still
 * waiting whole in the send queue, and writes them with its own waiting
 * ones to KV (`reminder_pending.ts`); the next leader takes them there and
 * sends those that still matter.
 *
 * @module
 */
import { report } from "../util/boundary.ts";
import type { State } from "../state/model.ts";
import {
  announcementLines,
  type Due,
  dueBetween,
  mattersUntil,
  nextMoment,
  type Notice,
  noticesFor,
  noticeText,
  type ReminderSettings,
} from "../state/reminders.ts";
import { advanceMark, readMark } from "../storage/reminder_mark.ts";
import { savePending, takePending } from "../storage/reminder_pending.ts";

/** What the scheduler reads and whom it tells. */
export interface SchedulerDeps {
  kv: Deno.Kv;
  state: () => State;
  now: () => Date;
  settings: ReminderSettings;
  /** Also announce slot starts in the channel. */
  announce: boolean;
  /** True while this process may send (it leads and is in the channel). */
  canSend: () => boolean;
  /** The lease as a check for the mark's commit; undefined when this process does not hold it. */
  leaseCheck: () => Promise<Deno.AtomicCheck | undefined>;
  /** Queues the notices and the channel's lines (as notifications). */
  send: (notices: readonly Notice[], channel: readonly string[]) => void;
  /**
   * How many more notices the send queue should take now: the rest wait
   * here, in order, and go as it drains, so that a slot start with
   * thousands of followers never fills the queue (which would drop them)
   * nor crowds out answers.
   */
  room?: () => number;
  /**
   * Removes from the send queue the notices handed to it that wait there
   * whole (none of their lines written) and returns them.
   */
  takeBack?: () => Notice[];
  /** Told of each notice queued, with how late it is. */
  sent?: (kind: string, lateSeconds: number) => void;
  log: (line: string) => void;
  /** Time between ticks (ms). */
  tickMs?: number;
}

/**
 * What one tick did: notices claimed (queued now or waiting here), channel
 * lines queued, and notices taken over from a process that left.
 */
export interface TickResult {
  notices: number;
  lines: number;
  taken: number;
}

/** Claimed notices waiting for room in the send queue, at most (the bound on followers times a few). */
export const MAX_WAITING_NOTICES = 100_000;

/** Room for this many more waiting notices at least before a batch left by another process is taken. */
const TAKE_ROOM = 1000;

/** Ticks on a timer until stopped; `tick` may also be called directly (tests). */
export class Scheduler {
  #deps: SchedulerDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;
  /** Left the lead: hands out and claims nothing until `unpark`. */
  #parked = false;
  /** Claimed notices that wait for room in the send queue, oldest first. */
  #waiting: Notice[] = [];

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick().catch((e) => report("reminders: a tick", e, this.#deps.log))
        .finally(() => this.#schedule());
    }, this.#deps.tickMs ?? 1000);
  }

  /** Stops ticking and parks (see `park`); resolves once the notices not sent are in KV. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.park();
  }

  /**
   * Leaves the lead: from now on no notice is claimed or handed to the send
   * queue (until `unpark`); once a tick under way has ended, the notices
   * the send queue gives back and those waiting here are written to KV for
   * the next leader. Call it while this process still holds the lease (or
   * steps aside from it), before leaving IRC, so that those notices are
   * there when the next leader looks. Resolves to how many were written.
   */
  async park(): Promise<number> {
    this.#parked = true;
    await this.#running;
    const d = this.#deps;
    const left = [...d.takeBack?.() ?? [], ...this.#waiting.splice(0)];
    if (!left.length) return 0;
    try {
      await savePending(d.kv, left.map((n) => ({ to: n.to, due: n.due })), d.now().getTime());
      d.log(`reminders: ${left.length} notices not sent are left for the next leader`);
      return left.length;
    } catch (e) {
      report(`reminders: leaving ${left.length} notices for the next leader`, e, d.log);
      return 0;
    }
  }

  /** Leads again (the lease is back): claims and sends as before. */
  unpark(): void {
    this.#parked = false;
  }

  /** Notices claimed but not yet handed to the send queue. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** One round: claims what fell due since the mark, then queues its notices (as many as there is room for). */
  async tick(): Promise<TickResult> {
    const d = this.#deps;
    if (this.#parked || !d.canSend()) return { notices: 0, lines: 0, taken: 0 };
    const now = d.now().getTime();
    try {
      const taken = await this.#take(now);
      return { ...await this.#claim(now), taken };
    } finally {
      this.#flush(now);
    }
  }

  /**
   * Takes the notices a process that left did not send (the oldest, while
   * there is room here) and queues those that still matter, in the words
   * of now, to followers who still follow the track. Returns how many were
   * taken.
   */
  async #take(now: number): Promise<number> {
    const d = this.#deps;
    const room = MAX_WAITING_NOTICES - this.#waiting.length;
    if (room < TAKE_ROOM) return 0;
    const taken = await takePending(d.kv, d.leaseCheck, room - TAKE_ROOM);
    if (!taken.length) return 0;
    const state = d.state();
    // Notices of one moment share its text and `Due` (read back, each notice has its own copy).
    const moments = new Map<string, { due: Due; text: string }>();
    let kept = 0;
    for (const { to, due } of taken) {
      if (mattersUntil(due) <= now || !state.follows[to]?.includes(due.track)) continue;
      const id = `${due.kind} ${due.track} ${due.start}`;
      let moment = moments.get(id);
      if (!moment) {
        moment = { due, text: noticeText(state, due, now, d.settings.timeZone) };
        moments.set(id, moment);
      }
      this.#waiting.push({ to, text: moment.text, due: moment.due });
      kept++;
    }
    d.log(`reminders: took ${taken.length} notices left by another process; ${kept} still matter`);
    return taken.length;
  }

  async #claim(now: number): Promise<Omit<TickResult, "taken">> {
    const d = this.#deps;
    const none = { notices: 0, lines: 0 };
    const mark = await readMark(d.kv);
    if (mark.value === null) {
      // The first run on this file: from now on, nothing before.
      const lease = await d.leaseCheck();
      if (lease) await advanceMark(d.kv, mark, now, [lease]);
      return none;
    }
    if (now <= mark.value.upTo) return none;
    const state = d.state();
    // Cheap first: no slot moment at all since the mark means nothing is due.
    const next = nextMoment(state, mark.value.upTo, d.settings);
    if (next === undefined || next > now) return none;
    const due = dueBetween(state, mark.value.upTo, now, d.settings);
    // Nothing due: the mark may stay; what falls due later is still after it.
    if (!due.length) return none;
    const lease = await d.leaseCheck();
    if (!lease || !await advanceMark(d.kv, mark, now, [lease])) return none;
    const notices = noticesFor(state, due, now, d.settings.timeZone);
    const lines = d.announce ? announcementLines(due, now, d.settings.timeZone) : [];
    d.send([], lines);
    for (const _ of lines) d.sent?.("announcement", (now - due[0].at) / 1000);
    const room = MAX_WAITING_NOTICES - this.#waiting.length;
    if (notices.length > room) {
      d.log(`reminders: ${notices.length - room} notices dropped (${MAX_WAITING_NOTICES} wait at most)`);
    }
    this.#waiting.push(...notices.slice(0, Math.max(0, room)));
    return { notices: notices.length, lines: lines.length };
  }

  /** Hands waiting notices to the send queue, as many as it has room for. */
  #flush(now: number): void {
    const d = this.#deps;
    if (!this.#waiting.length || this.#parked || !d.canSend()) return;
    const n = Math.min(this.#waiting.length, Math.max(0, d.room?.() ?? Infinity));
    if (n <= 0) return;
    const batch = this.#waiting.splice(0, n);
    d.send(batch, []);
    for (const x of batch) d.sent?.(x.due.kind, (now - x.due.at) / 1000);
  }
}
