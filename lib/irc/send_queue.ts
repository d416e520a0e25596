/**
 * The one outgoing queue. A token bucket (a burst, then one line per
 * interval) keeps the server from ever seeing a flood, and nothing that
 * handles commands waits for it. Within that pace lines take turns:
 *
 * - queries to the server (WHO, WHOIS) a command waits for go first, in order;
 * - then the classes of messages in `CLASSES` order, a class only when every
 *   class before it has nothing waiting;
 * - within a class, one line per person in turn (the person a reply
 *   answers, the person a notification is for), each person's lines in order.
 *
 * So a busy person delays somebody else's line by at most one line of their
 * own. Each person holds a bounded share of a class and the whole queue a
 * bounded number of lines; what does not fit is counted and the person told
 * how many lines they missed, once their earlier lines have gone out.
 */
import { splitText } from "./text.ts";
import { errorText } from "../util/errors.ts";

/**
 * Message classes, the first served first. Answers to commands never wait
 * behind notifications; a further class (reminders to many followers, say)
 * goes into this list where it belongs and into `CLASS_RULES`.
 */
export const CLASSES = ["reply", "notice"] as const;

/** A class of messages. */
export type LineClass = typeof CLASSES[number];

/** How a class is sent and how much of it one person may hold. */
interface ClassRule {
  /** The IRC command: answers are PRIVMSG, notifications NOTICE. */
  command: "PRIVMSG" | "NOTICE";
  /** Lines one person may have waiting in this class. */
  perPerson: number;
  /** What a person is told about `count` lines of theirs that were not sent. */
  notSent: (count: number) => string;
}

const lines = (count: number) => `${count} ${count === 1 ? "line" : "lines"}`;

/** The rules of each class. */
export const CLASS_RULES: Record<LineClass, ClassRule> = {
  reply: {
    command: "PRIVMSG",
    // A full per-person command queue of one-line answers, twice over.
    perPerson: 40,
    notSent: (count) =>
      `${lines(count)} of answers to you ${count === 1 ? "was" : "were"} not sent ` +
      "(too many were waiting; the commands themselves were carried out)",
  },
  notice: {
    command: "NOTICE",
    perPerson: 10,
    notSent: (count) =>
      `${count} ${count === 1 ? "notification" : "notifications"} for you ` +
      `${count === 1 ? "was" : "were"} not sent (too many were waiting)`,
  },
};

/** How a line was sent: the IRC command, its target and text. */
export type Send = (command: "PRIVMSG" | "NOTICE", target: string, text: string) => void;

/** Settings of the queue; every one has a default. */
export interface QueueOptions {
  burst: number;
  intervalMs: number;
  /** Lines of messages held at most, all classes and people together. */
  maxLines: number;
  /** Lines a person may hold per class (default from `CLASS_RULES`). */
  perPerson: Partial<Record<LineClass, number>>;
  /** Bytes of text in one message, before the server's prefix. */
  lineBytes: number;
  /** Lines one message may become at most. */
  linesPerMessage: number;
  log: (message: string) => void;
  /** Milliseconds from any fixed point (default `performance.now`). */
  now: () => number;
  /** Timer functions (default the global ones); tests drive their own. */
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (id: unknown) => void;
}

const DEFAULTS: QueueOptions = {
  burst: 4,
  intervalMs: 700,
  maxLines: 500,
  perPerson: {},
  lineBytes: 400,
  linesPerMessage: 4,
  log: (m) => console.warn(m),
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (id) => clearTimeout(id as number),
};

/** What one message is for: the person whose turn it takes, and its class. */
export interface PushOptions {
  /** The person it answers, or the one a notification is for (any stable key: an account, a nick). */
  person: string;
  kind?: LineClass;
  /** The text telling this person that `count` of their lines were not sent (default the class's). */
  notSent?: (count: number) => string;
  /**
   * Whose message it is, for `takeBack`: a message with a tag may be taken
   * back while none of its lines has been written.
   */
  tag?: unknown;
}

/** A message taken back before any of its lines was written. */
export interface TakenBack {
  person: string;
  target: string;
  tag: unknown;
}

interface Line {
  target: string;
  text: string;
  /** The message's tag, and which of its lines this is. */
  tag?: unknown;
  part?: number;
  /** For a report: the count it tells, so a report put out to make room is counted again. */
  reports?: number;
}

/** One person's place in a class. */
interface Turn {
  lines: Line[];
  /** The round in which their next line goes; one line per person per round. */
  round: number;
  /**
   * Back from a pause and not yet served since: they go before the busy
   * people of the same round, who have all had lines in the rounds before.
   */
  fresh: boolean;
  /** Order within a round and freshness: who arrived or was served first goes first. */
  seq: number;
  /** Lines of theirs not sent since they were last told, and how to tell them. */
  declined: number;
  report?: { target: string; text: (count: number) => string };
  /** In `Turns.owed`. */
  owed: boolean;
}

/** What became of a declined line: the first of its person's since they were last told, a further one, or one nobody can be told about (too many people owed). */
type Declined = "first" | "again" | "untold";

/** Whether `a` goes before `b`: an earlier round, then fresh before busy, then the earlier. */
function before(a: Turn, b: Turn): boolean {
  if (a.round !== b.round) return a.round < b.round;
  if (a.fresh !== b.fresh) return a.fresh;
  return a.seq < b.seq;
}

/**
 * One class: people taking turns, a line each per round. Entries are kept
 * for people with lines (at most the queue's bound), and for people owed a
 * report or who had their line this round (together at most about
 * `maxPeople`: past that nobody new is told, and a new round starts).
 */
class Turns {
  readonly #people = new Map<string, Turn>();
  readonly #maxPeople: number;
  /** The round of the line sent last. */
  #round = 0;
  #seq = 0;
  /** People with lines. */
  #waiting = 0;
  /** Lines held, reports included. */
  size = 0;
  /** People owed a report who have no line of theirs to put it behind (all theirs were declined). */
  readonly owed: string[] = [];

  constructor(maxPeople: number) {
    this.#maxPeople = maxPeople;
  }

  /** People with an entry. */
  get people(): number {
    return this.#people.size;
  }

  held(person: string): number {
    return this.#people.get(person)?.lines.length ?? 0;
  }

  add(person: string, line: Line): void {
    const t = this.#turn(person);
    this.#push(t, line);
  }

  #push(t: Turn, line: Line): void {
    if (!t.lines.length) {
      // Back after a pause: in the current round, unless they already had their line in it.
      t.round = Math.max(t.round, this.#round);
      t.fresh = true;
      t.seq = ++this.#seq;
      this.#waiting++;
    }
    t.lines.push(line);
    this.size++;
  }

  #shift(t: Turn, end: "first" | "last"): Line {
    const line = end === "first" ? t.lines.shift()! : t.lines.pop()!;
    this.size--;
    if (!t.lines.length) this.#waiting--;
    return line;
  }

  /** Counts `count` lines of `person` as not sent. */
  decline(person: string, count: number, report: NonNullable<Turn["report"]>): Declined {
    if (!this.#people.has(person) && this.#people.size - this.#waiting >= this.#maxPeople) return "untold";
    const t = this.#turn(person);
    const first = t.declined === 0;
    t.declined += count;
    t.report = report;
    this.#owe(person, t);
    return first ? "first" : "again";
  }

  /** With no line left to put the report behind, the person waits in `owed` for room. */
  #owe(person: string, t: Turn): void {
    if (t.lines.length || t.owed || !t.declined) return;
    t.owed = true;
    this.owed.push(person);
  }

  /**
   * Removes every tagged message none of whose lines was taken yet (its
   * first line still waits), one entry per message.
   */
  takeBack(): TakenBack[] {
    const out: TakenBack[] = [];
    for (const [person, t] of this.#people) {
      const kept: Line[] = [];
      let taking = false;
      for (const line of t.lines) {
        // A message's later lines follow its first: they go with it, or stay when it was written already.
        taking = line.tag !== undefined && (line.part === 0 || taking);
        if (!taking) kept.push(line);
        else if (line.part === 0) out.push({ person, target: line.target, tag: line.tag });
      }
      const gone = t.lines.length - kept.length;
      if (!gone) continue;
      t.lines = kept;
      this.size -= gone;
      if (!kept.length) this.#waiting--;
    }
    return out;
  }

  /** Takes the last line of the person holding the most, to make room for a class before this one. */
  evict(): { person: string; line: Line } | undefined {
    let most: [string, Turn] | undefined;
    for (const entry of this.#people) {
      if (entry[1].lines.length > (most?.[1].lines.length ?? 0)) most = entry;
    }
    if (!most) return undefined;
    return { person: most[0], line: this.#shift(most[1], "last") };
  }

  /** The next line: of the person earliest in the earliest round. */
  take(): Line | undefined {
    let next: Turn | undefined;
    for (const t of this.#people.values()) {
      if (t.lines.length && (!next || before(t, next))) next = t;
    }
    if (!next) return undefined;
    const line = this.#shift(next, "first");
    if (next.round > this.#round) this.#newRound(next.round);
    next.round = this.#round + 1;
    next.fresh = false;
    next.seq = ++this.#seq;
    if (!next.lines.length && next.declined) this.#addReport(next);
    // With nobody waiting, who had a turn no longer matters. And a stream of newcomers with one line
    // each never ends a round: their entries must not pile up.
    if (!this.#waiting || this.#people.size - this.#waiting > this.#maxPeople) {
      this.#newRound(this.#round + 1);
    }
    return line;
  }

  /** Queues the report the first person in `owed` waits for. */
  settleOwed(): void {
    const person = this.owed.shift()!;
    const t = this.#people.get(person);
    if (!t) return;
    t.owed = false;
    if (t.declined) this.#addReport(t);
  }

  /** Takes a report as the person's last line; it stands in for the line just sent, so the bound holds. */
  #addReport(t: Turn): void {
    const { target, text } = t.report!;
    const count = t.declined;
    t.declined = 0;
    t.report = undefined;
    this.#push(t, { target, text: text(count), reports: count });
  }

  #turn(person: string): Turn {
    let t = this.#people.get(person);
    if (!t) {
      t = { lines: [], round: this.#round, fresh: true, seq: ++this.#seq, declined: 0, owed: false };
      this.#people.set(person, t);
    }
    return t;
  }

  /** Starts `round`: people with nothing left whose turn would start there anyway need no entry. */
  #newRound(round: number): void {
    this.#round = round;
    for (const [person, t] of this.#people) {
      if (!t.lines.length && !t.declined && t.round <= round) this.#people.delete(person);
    }
  }

  clear(): void {
    this.#people.clear();
    this.owed.length = 0;
    this.size = 0;
    this.#waiting = 0;
  }
}

export class SendQueue {
  #send: Send;
  #o: QueueOptions;
  #queries: (() => void)[] = [];
  #classes: Record<LineClass, Turns>;
  #tokens: number;
  #last: number;
  #timer: unknown;
  #paused = true;
  #drained: (() => void)[] = [];
  /** Lines not sent: declined, or put out of the queue to make room for answers. */
  dropped = 0;
  /** Lines not sent whose people cannot be told (too many owed a report already), since last logged. */
  #untold = 0;

  constructor(send: Send, opts: Partial<QueueOptions> = {}) {
    this.#send = send;
    this.#o = { ...DEFAULTS, ...opts };
    this.#tokens = this.#o.burst;
    this.#last = this.#o.now();
    const classes = CLASSES.map((c) => [c, new Turns(this.#o.maxLines)]);
    this.#classes = Object.fromEntries(classes) as Record<LineClass, Turns>;
  }

  /** Lines waiting, queries included. */
  get size(): number {
    return this.#queries.length + this.#messages();
  }

  /** Lines of `person` waiting in class `kind`. */
  held(person: string, kind: LineClass = "reply"): number {
    return this.#classes[kind].held(person);
  }

  /** People the queue keeps an entry for, all classes together (for the memory bound's tests). */
  get people(): number {
    return CLASSES.reduce((n, c) => n + this.#classes[c].people, 0);
  }

  #messages(): number {
    return CLASSES.reduce((n, c) => n + this.#classes[c].size, 0);
  }

  /**
   * Queues a message to `target`, split into IRC lines, in the turn of
   * `person`; returns at once. A message that does not fit the person's
   * share or the queue is declined whole and counted for their report.
   */
  push(target: string, text: string, opts: PushOptions): void {
    const kind = opts.kind ?? "reply";
    const turns = this.#classes[kind];
    const budget = this.#o.lineBytes - new TextEncoder().encode(target).length;
    const parts = splitText(text, budget, this.#o.linesPerMessage);
    if (!parts.length) return;
    const limit = this.#o.perPerson[kind] ?? CLASS_RULES[kind].perPerson;
    const full = turns.held(opts.person) + parts.length > limit
      ? `${opts.person} has ${limit} waiting`
      : !this.#makeRoom(kind, parts.length)
      ? `the queue holds ${this.#o.maxLines} lines`
      : undefined;
    if (full) {
      this.dropped += parts.length;
      const notSent = opts.notSent ?? CLASS_RULES[kind].notSent;
      const declined = turns.decline(opts.person, parts.length, { target, text: notSent });
      this.#logDecline(declined, parts.length, `not sending a ${kind} to ${target} (${full})`);
    } else {
      parts.forEach((text, part) => turns.add(opts.person, { target, text, tag: opts.tag, part }));
    }
    this.#pump();
  }

  /**
   * Queues a query to the server (a WHOIS a command waits for), ahead of the
   * messages but behind earlier queries: it costs a line of the same budget,
   * so a burst of lookups cannot flood the server either.
   */
  query(send: () => void): void {
    this.#queries.push(send);
    this.#pump();
  }

  /** Makes room for `count` lines of `kind`, by taking lines of later classes if need be. */
  #makeRoom(kind: LineClass, count: number): boolean {
    const later = CLASSES.slice(CLASSES.indexOf(kind) + 1).reverse();
    while (this.#messages() + count > this.#o.maxLines) {
      const from = later.find((c) => this.#classes[c].size > 0);
      if (!from) return false;
      const gone = this.#classes[from].evict()!;
      if (!gone.line.reports) this.dropped++;
      const report = { target: gone.line.target, text: CLASS_RULES[from].notSent };
      const declined = this.#classes[from].decline(gone.person, gone.line.reports ?? 1, report);
      this.#logDecline(declined, 1, `put out a ${from} to ${gone.line.target} (the queue is full)`);
    }
    return true;
  }

  /** Logs the first line of a person not sent, and the first of those nobody can be told about. */
  #logDecline(declined: Declined, lines: number, what: string): void {
    if (declined === "first") this.#o.log(`irc: outgoing queue: ${what}; they will be told how many`);
    if (declined !== "untold") return;
    if (!this.#untold) {
      this.#o.log(`irc: outgoing queue: ${what}; too many people are owed a report to tell them too`);
    }
    this.#untold += lines;
  }

  /** Stops sending (while disconnected); lines wait. */
  pause(): void {
    this.#paused = true;
    if (this.#timer !== undefined) this.#o.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  /** Sends again (after joining). */
  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  #refill(): void {
    const now = this.#o.now();
    this.#tokens = Math.min(this.#o.burst, this.#tokens + (now - this.#last) / this.#o.intervalMs);
    this.#last = now;
  }

  /** The next line to go, if any, as a function that sends it. */
  #next(): (() => void) | undefined {
    const query = this.#queries.shift();
    if (query) return query;
    for (const kind of CLASSES) {
      const line = this.#classes[kind].take();
      if (line) {
        this.#settleOwed();
        return () => this.#send(CLASS_RULES[kind].command, line.target, line.text);
      }
    }
    return undefined;
  }

  /** Reports owed to people with no line left take the room lines leave. */
  #settleOwed(): void {
    for (const kind of CLASSES) {
      const turns = this.#classes[kind];
      while (turns.owed.length && this.#messages() < this.#o.maxLines) turns.settleOwed();
    }
  }

  #pump(): void {
    if (this.#paused || this.#timer !== undefined) return;
    this.#settleOwed();
    this.#refill();
    // Timers fire on whole milliseconds; the epsilon keeps a refill that lands on a token from falling short.
    while (this.size && this.#tokens + 1e-9 >= 1) {
      const send = this.#next()!;
      this.#tokens = Math.max(0, this.#tokens - 1);
      try {
        send();
      } catch (e) {
        this.#o.log(`irc: send failed: ${errorText(e)}`);
      }
    }
    if (this.size) {
      const wait = Math.max(1, Math.ceil((1 - this.#tokens) * this.#o.intervalMs));
      this.#timer = this.#o.setTimer(() => {
        this.#timer = undefined;
        this.#pump();
      }, wait);
    } else {
      if (this.#untold) {
        this.#o.log(`irc: outgoing queue: ${this.#untold} lines were not sent and their people not told`);
        this.#untold = 0;
      }
      for (const done of this.#drained.splice(0)) done();
    }
  }

  /** Resolves when the queue is empty, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (!this.size) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.#o.setTimer(() => resolve(), timeoutMs);
      this.#drained.push(() => {
        this.#o.clearTimer(timer);
        resolve();
      });
    });
  }

  /**
   * Removes and returns the tagged messages of class `kind` that are still
   * waiting whole, none of their lines written to the socket (a leaving
   * process hands its reminders to the next): untagged lines stay.
   */
  takeBack(kind: LineClass): TakenBack[] {
    return this.#classes[kind].takeBack();
  }

  /** Forgets every waiting line and timer. */
  clear(): void {
    this.pause();
    this.#queries = [];
    for (const kind of CLASSES) this.#classes[kind].clear();
  }
}
