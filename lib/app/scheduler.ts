/**
 * The one scheduler of time-driven work: reminders before a followed
 * track's slot, notices when it starts, and the optional channel
 * announcement. It runs in every process but acts only in the one that
 * holds the IRC lease and is in the channel. Each tick reads the mark in KV
 * (`reminder_mark.ts`), works out what fell due since (`reminders.ts`, on
 * the event's clock), moves the mark in one atomic commit checked against
 * the lease, and only then queues the notices as notifications: a moment is
 * claimed once, by one process, and never sent twice (docs/reminders.md).
 *
 * @module
 */
import type { State } from "../state/model.ts";
import {
  announcementLines,
  dueBetween,
  type Notice,
  noticesFor,
  type ReminderSettings,
} from "../state/reminders.ts";
import { advanceMark, readMark } from "../storage/reminder_mark.ts";
import { errorText } from "../util/errors.ts";

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
  /** Told of each notice queued, with how late it is. */
  sent?: (kind: string, lateSeconds: number) => void;
  log: (line: string) => void;
  /** Time between ticks (ms). */
  tickMs?: number;
}

/** What one tick did. */
export interface TickResult {
  notices: number;
  lines: number;
}

/** Ticks on a timer until stopped; `tick` may also be called directly (tests). */
export class Scheduler {
  #deps: SchedulerDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;

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
      this.#running = this.tick().catch((e) => this.#deps.log(`reminders: ${errorText(e)}`))
        .finally(() => this.#schedule());
    }, this.#deps.tickMs ?? 1000);
  }

  /** Stops ticking; resolves once a tick under way has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One round: claims what fell due since the mark, then queues its notices. */
  async tick(): Promise<TickResult> {
    const d = this.#deps;
    const none = { notices: 0, lines: 0 };
    if (!d.canSend()) return none;
    const now = d.now().getTime();
    const mark = await readMark(d.kv);
    const lease = await d.leaseCheck();
    if (!lease) return none;
    if (mark.value === null) {
      // The first run on this file: from now on, nothing before.
      await advanceMark(d.kv, mark, now, [lease]);
      return none;
    }
    if (now <= mark.value.upTo) return none;
    const state = d.state();
    const due = dueBetween(state, mark.value.upTo, now, d.settings);
    // Nothing due: the mark may stay; what falls due later is still after it.
    if (!due.length) return none;
    if (!await advanceMark(d.kv, mark, now, [lease])) return none;
    const notices = noticesFor(state, due, now, d.settings.timeZone);
    const lines = d.announce ? announcementLines(due, now, d.settings.timeZone) : [];
    d.send(notices, lines);
    for (const n of notices) d.sent?.(n.due.kind, (now - n.due.at) / 1000);
    for (const _ of lines) d.sent?.("announcement", (now - due[0].at) / 1000);
    return { notices: notices.length, lines: lines.length };
  }
}
