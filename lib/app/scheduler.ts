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
 * @module
 */
import { report } from "../util/boundary.ts";
import type { State } from "../state/model.ts";
import {
  announcementLines,
  dueBetween,
  nextMoment,
  type Notice,
  noticesFor,
  type ReminderSettings,
} from "../state/reminders.ts";
import { advanceMark, readMark } from "../storage/reminder_mark.ts";

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
  /** Told of each notice queued, with how late it is. */
  sent?: (kind: string, lateSeconds: number) => void;
  log: (line: string) => void;
  /** Time between ticks (ms). */
  tickMs?: number;
}

/** What one tick did: notices claimed (queued now or waiting here) and channel lines queued. */
export interface TickResult {
  notices: number;
  lines: number;
}

/** Claimed notices waiting for room in the send queue, at most (the bound on followers times a few). */
export const MAX_WAITING_NOTICES = 100_000;

/** Ticks on a timer until stopped; `tick` may also be called directly (tests). */
export class Scheduler {
  #deps: SchedulerDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;
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

  /** Stops ticking; resolves once a tick under way has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Notices claimed but not yet handed to the send queue. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** One round: claims what fell due since the mark, then queues its notices (as many as there is room for). */
  async tick(): Promise<TickResult> {
    const d = this.#deps;
    const none = { notices: 0, lines: 0 };
    if (!d.canSend()) return none;
    const now = d.now().getTime();
    try {
      return await this.#claim(now);
    } finally {
      this.#flush(now);
    }
  }

  async #claim(now: number): Promise<TickResult> {
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
    if (!this.#waiting.length || !d.canSend()) return;
    const n = Math.min(this.#waiting.length, Math.max(0, d.room?.() ?? Infinity));
    if (n <= 0) return;
    const batch = this.#waiting.splice(0, n);
    d.send(batch, []);
    for (const x of batch) d.sent?.(x.due.kind, (now - x.due.at) / 1000);
  }
}
