/**
 * Commands per person: a token bucket and a short queue each, so a paste is
 * worked through at a steady pace instead of being lost, and one busy person
 * never holds up anybody else.
 */
import { report } from "../util/boundary.ts";

/**
 * Lines one person may have waiting at once. A paste longer than this is
 * more likely a mistake than a plan, and every waiting line costs memory for
 * as long as the bucket takes to reach it; what is beyond is counted, not kept.
 */
export const MAX_WAITING = 20;

/** One line's work: run it and hand its answers on; the next line of that person waits for it. */
export type Job = () => Promise<void> | void;

/** Settings of the queue; all but the pace have a default. */
export interface UserQueueOptions {
  /** Lines a person may have handled back to back before the pace applies. */
  burst: number;
  /** Then one line per this many milliseconds. */
  intervalMs: number;
  /** Lines a person may have waiting (default `MAX_WAITING`). */
  maxWaiting: number;
  /** Milliseconds from any fixed point (default `performance.now`). */
  now: () => number;
  /** Timer functions (default the global ones); tests drive their own. */
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (id: unknown) => void;
  /** Where a job that throws is reported (default `console.error`). */
  log: (line: string) => void;
}

interface Person {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
  waiting: Job[];
  busy: boolean;
  timer: unknown;
  /** Lines refused since the last report, and how to tell the person. */
  notTaken: number;
  report: ((count: number) => void) | undefined;
}

const DEFAULTS: Omit<UserQueueOptions, "burst" | "intervalMs"> = {
  maxWaiting: MAX_WAITING,
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (id) => clearTimeout(id as number),
  log: (line) => console.error(line),
};

// Timers fire on whole milliseconds; this keeps a refill that lands on a
// token from being read as a hair short of it.
const EPSILON = 1e-9;

export class UserQueue {
  #o: UserQueueOptions;
  #people = new Map<string, Person>();
  #prunedAt: number;

  constructor(opts: Pick<UserQueueOptions, "burst" | "intervalMs"> & Partial<UserQueueOptions>) {
    this.#o = { ...DEFAULTS, ...opts };
    this.#prunedAt = this.#o.now();
  }

  /** People with state held (waiting lines, a job, or a bucket still refilling). */
  get people(): number {
    return this.#people.size;
  }

  /** Lines waiting for `key` (not counting one being handled). */
  waiting(key: string): number {
    return this.#people.get(key)?.waiting.length ?? 0;
  }

  /**
   * Takes a line of person `key`: it runs now if their bucket has a token and
   * nothing of theirs is ahead of it, else later in order. False when their
   * queue is full: the line is dropped and counted, and once their queue has
   * drained `report` (of the latest such line) gets the count, once.
   */
  push(key: string, job: Job, report: (count: number) => void): boolean {
    const now = this.#o.now();
    this.#prune(now);
    let p = this.#people.get(key);
    if (!p) {
      p = {
        tokens: this.#o.burst,
        at: now,
        waiting: [],
        busy: false,
        timer: undefined,
        notTaken: 0,
        report: undefined,
      };
      this.#people.set(key, p);
    }
    if (p.waiting.length >= this.#o.maxWaiting) {
      p.notTaken++;
      p.report = report;
      return false;
    }
    p.waiting.push(job);
    this.#pump(key, p);
    return true;
  }

  #pump(key: string, p: Person): void {
    // A person forgotten by `stop` may still finish a job; nothing of theirs goes on.
    if (p.busy || p.timer !== undefined || this.#people.get(key) !== p) return;
    if (!p.waiting.length) {
      if (p.notTaken) {
        const [count, report] = [p.notTaken, p.report!];
        p.notTaken = 0;
        p.report = undefined;
        try {
          report(count);
        } catch (e) {
          this.#o.log(`irc: could not report ${count} refused lines of ${key}: ${e}`);
        }
      }
      return;
    }
    this.#refill(p, this.#o.now());
    if (p.tokens + EPSILON < 1) {
      const wait = Math.max(1, Math.ceil((1 - p.tokens) * this.#o.intervalMs));
      p.timer = this.#o.setTimer(() => {
        p.timer = undefined;
        this.#pump(key, p);
      }, wait);
      return;
    }
    p.tokens = Math.max(0, p.tokens - 1);
    const job = p.waiting.shift()!;
    p.busy = true;
    // Called at once, so a line with a token starts before push returns.
    (async () => await job())()
      .catch((e) => report(`irc: a line of ${key}`, e, this.#o.log))
      .finally(() => {
        p.busy = false;
        this.#pump(key, p);
      });
  }

  #refill(p: Person, now: number): void {
    p.tokens = Math.min(this.#o.burst, p.tokens + (now - p.at) / this.#o.intervalMs);
    p.at = now;
  }

  /**
   * Forgets people with nothing pending whose bucket is full again: a fresh
   * entry would behave the same. At most once per refill time, so the sweep
   * costs little per line while memory stays bounded by recent speakers.
   */
  #prune(now: number): void {
    const fullAfter = this.#o.burst * this.#o.intervalMs;
    if (now - this.#prunedAt < fullAfter) return;
    this.#prunedAt = now;
    for (const [key, p] of this.#people) {
      if (p.busy || p.timer !== undefined || p.waiting.length || p.notTaken) continue;
      if (p.tokens + (now - p.at) / this.#o.intervalMs + EPSILON >= this.#o.burst) this.#people.delete(key);
    }
  }

  /**
   * Drops every waiting line, count and timer. A job already running ends
   * on its own but starts nothing after it; the queue may be used again.
   */
  stop(): void {
    for (const p of this.#people.values()) {
      if (p.timer !== undefined) this.#o.clearTimer(p.timer);
      p.timer = undefined;
      p.waiting = [];
    }
    this.#people.clear();
  }
}
