/**
 * The one outgoing queue: a token bucket (a burst, then one line per
 * interval) so the server never sees a flood, and nothing that handles
 * commands ever waits for it. Lines keep their order; when the queue is
 * full, notifications are dropped before replies.
 */
import { splitText } from "./text.ts";
import { errorText } from "../util/errors.ts";

type Kind = "reply" | "notice";

interface Line {
  target: string;
  text: string;
  kind: Kind | "query";
  /** A query to the server (WHO, WHOIS): sent by this instead of as a message. */
  raw?: () => void;
}

/** Settings of the queue. */
interface QueueOptions {
  burst: number;
  intervalMs: number;
  /** Lines held at most. */
  maxLines: number;
  /** Bytes of text in one PRIVMSG, before the server's prefix. */
  lineBytes: number;
  /** Lines one message may become at most. */
  linesPerMessage: number;
  log: (message: string) => void;
}

const DEFAULTS: QueueOptions = {
  burst: 4,
  intervalMs: 700,
  maxLines: 500,
  lineBytes: 400,
  linesPerMessage: 4,
  log: (m) => console.warn(m),
};

export class SendQueue {
  #send: (target: string, text: string) => void;
  #opts: QueueOptions;
  #lines: Line[] = [];
  #tokens: number;
  #last = performance.now();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = true;
  #drained: (() => void)[] = [];
  /** Lines dropped because the queue was full. */
  dropped = 0;

  constructor(send: (target: string, text: string) => void, opts: Partial<QueueOptions> = {}) {
    this.#send = send;
    this.#opts = { ...DEFAULTS, ...opts };
    this.#tokens = this.#opts.burst;
  }

  get size(): number {
    return this.#lines.length;
  }

  /** Queues a message, split into IRC lines; returns at once. */
  push(target: string, text: string, kind: Kind = "reply"): void {
    const budget = this.#opts.lineBytes - new TextEncoder().encode(target).length;
    for (const part of splitText(text, budget, this.#opts.linesPerMessage)) {
      if (this.#lines.length >= this.#opts.maxLines && !this.#makeRoom(kind)) {
        this.dropped++;
        this.#opts.log(`irc: outgoing queue full, dropped a ${kind} to ${target}`);
        continue;
      }
      this.#lines.push({ target, text: part, kind });
    }
    this.#pump();
  }

  /**
   * Queues a query to the server (a WHOIS a command waits for), ahead of the
   * messages but behind earlier queries: it costs a line of the same budget,
   * so a burst of lookups cannot flood the server either.
   */
  query(send: () => void): void {
    let at = 0;
    while (at < this.#lines.length && this.#lines[at].kind === "query") at++;
    this.#lines.splice(at, 0, { target: "", text: "", kind: "query", raw: send });
    this.#pump();
  }

  #makeRoom(kind: Kind): boolean {
    if (kind === "notice") return false;
    const i = this.#lines.findIndex((l) => l.kind === "notice");
    if (i < 0) return false;
    const [gone] = this.#lines.splice(i, 1);
    this.dropped++;
    this.#opts.log(`irc: outgoing queue full, dropped a notification to ${gone.target}`);
    return true;
  }

  /** Stops sending (while disconnected); lines wait. */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sends again (after joining). */
  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#opts.burst, this.#tokens + (now - this.#last) / this.#opts.intervalMs);
    this.#last = now;
  }

  #pump(): void {
    if (this.#paused || this.#timer !== undefined) return;
    this.#refill();
    while (this.#lines.length && this.#tokens >= 1) {
      const line = this.#lines.shift()!;
      this.#tokens -= 1;
      try {
        if (line.raw) line.raw();
        else this.#send(line.target, line.text);
      } catch (e) {
        this.#opts.log(`irc: send failed: ${errorText(e)}`);
      }
    }
    if (this.#lines.length) {
      const wait = Math.ceil((1 - this.#tokens) * this.#opts.intervalMs);
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, wait);
    } else {
      for (const done of this.#drained.splice(0)) done();
    }
  }

  /** Resolves when the queue is empty, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (!this.#lines.length) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#drained.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Forgets every waiting line and timer. */
  clear(): void {
    this.pause();
    this.#lines = [];
  }
}
