/**
 * What an operator watches: counters and gauges of the running program,
 * written out in Prometheus's text exposition format for `/metrics`, and as
 * one status line for SIGUSR2 and the console's `status`.
 *
 * The program's parts keep their own facts (the IRC link, the lease, the
 * event streams); this module counts what passes through the runner
 * (commands, refusals, commits) and reads the rest when asked.
 *
 * @module
 */
import type { RunObserver } from "./runner.ts";

/** The IRC side's facts (IrcBot.health). */
export interface IrcHealth {
  connectedAt?: number;
  joined: boolean;
  queued: number;
  dropped: number;
}

/** Where the metrics read the program's state. */
export interface MetricSources {
  irc?: () => IrcHealth;
  /** Whether this process holds the IRC lease; absent without IRC. */
  leaseHeld?: () => boolean;
  /** Which process holds it ("host:pid"), as this one last saw. */
  leaseHolder?: () => string | undefined;
  streams: () => number;
  version: () => number;
  now: () => Date;
  /** The served certificate's end of validity; absent (or undefined) without HTTPS. */
  certificateExpiry?: () => Date | undefined;
}

/** Commit latency buckets, in seconds: a KV commit is normally a few ms, a big `~fetchdb` longer. */
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** Reminder lateness buckets, in seconds: on time is within the scheduler's tick; after a restart, minutes. */
const LATENESS_BUCKETS = [1, 2, 5, 15, 60, 300, 900, 3600];

/** A histogram with fixed upper bounds. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) this.counts[i]++;
  }
}

/** A label value as the text format quotes it. */
function quoteLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** A number as the text format writes it. */
function num(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** Writes metric families in the text exposition format (version 0.0.4). */
class Exposition {
  #lines: string[] = [];
  family(name: string, type: "counter" | "gauge" | "histogram", help: string): this {
    this.#lines.push(
      `# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`,
      `# TYPE ${name} ${type}`,
    );
    return this;
  }
  sample(name: string, value: number, labels: Record<string, string> = {}): this {
    const l = Object.entries(labels).map(([k, v]) => `${k}="${quoteLabel(v)}"`).join(",");
    this.#lines.push(`${name}${l ? `{${l}}` : ""} ${num(value)}`);
    return this;
  }
  /** A family of one sample: its name written once. */
  metric(
    name: string,
    type: "counter" | "gauge",
    help: string,
    value: number,
    labels: Record<string, string> = {},
  ): this {
    return this.family(name, type, help).sample(name, value, labels);
  }
  text(): string {
    return this.#lines.join("\n") + "\n";
  }
}

/** Writes one histogram family. */
function histogram(out: Exposition, name: string, help: string, h: Histogram): void {
  out.family(name, "histogram", help);
  let cumulative = 0;
  h.bounds.forEach((b, i) => {
    cumulative += h.counts[i];
    out.sample(`${name}_bucket`, cumulative, { le: num(b) });
  });
  out.sample(`${name}_bucket`, h.count, { le: "+Inf" })
    .sample(`${name}_sum`, h.sum)
    .sample(`${name}_count`, h.count);
}

/** The program's metrics. */
export class Metrics implements RunObserver {
  readonly commands = new Map<string, number>();
  readonly refusals = new Map<string, number>();
  readonly commitSeconds = new Histogram(COMMIT_BUCKETS);
  commitFailures = 0;
  /** Reminder notices queued, by kind ("reminder", "start", "announcement"). */
  readonly reminders = new Map<string, number>();
  /** How long after its moment each reminder notice was queued. */
  readonly reminderLateness = new Histogram(LATENESS_BUCKETS);
  /** When this process last committed (ms since the epoch). */
  lastCommit: number | undefined;
  readonly #src: MetricSources;

  constructor(sources: MetricSources) {
    this.#src = sources;
  }

  command(kind: string, refused: boolean): void {
    this.commands.set(kind, (this.commands.get(kind) ?? 0) + 1);
    if (refused) this.refusals.set(kind, (this.refusals.get(kind) ?? 0) + 1);
  }

  commit(seconds: number, ok: boolean): void {
    if (!ok) {
      this.commitFailures++;
      return;
    }
    this.commitSeconds.observe(seconds);
    this.lastCommit = this.#src.now().getTime();
  }

  /** A reminder notice went to the send queue, `lateSeconds` after its moment. */
  reminder(kind: string, lateSeconds: number): void {
    this.reminders.set(kind, (this.reminders.get(kind) ?? 0) + 1);
    this.reminderLateness.observe(Math.max(0, lateSeconds));
  }

  /** Every metric in the text exposition format. */
  exposition(): string {
    const out = new Exposition();
    const irc = this.#src.irc?.();
    if (irc) {
      out.metric(
        "ptgbot_irc_connected",
        "gauge",
        "1 while registered with the IRC server",
        irc.connectedAt === undefined ? 0 : 1,
      );
      if (irc.connectedAt !== undefined) {
        out.metric(
          "ptgbot_irc_connected_since_seconds",
          "gauge",
          "when the current IRC link registered (Unix time)",
          irc.connectedAt / 1000,
        );
      }
      out.metric("ptgbot_irc_joined", "gauge", "1 while in the event channel", irc.joined ? 1 : 0);
      out.metric("ptgbot_send_queue_lines", "gauge", "outgoing IRC lines waiting for their turn", irc.queued);
      out.metric(
        "ptgbot_send_queue_dropped_total",
        "counter",
        "outgoing IRC lines dropped as the queue was full",
        irc.dropped,
      );
    }
    const lease = this.#src.leaseHeld?.();
    if (lease !== undefined) {
      out.metric(
        "ptgbot_lease_held",
        "gauge",
        "1 while this process holds the IRC lease (leads)",
        lease ? 1 : 0,
      );
    }
    const holder = this.#src.leaseHolder?.();
    if (holder !== undefined) {
      out.metric(
        "ptgbot_lease_holder_info",
        "gauge",
        "the process on IRC (host:pid), as this one last saw",
        1,
        { holder },
      );
    }
    out.family("ptgbot_commands_total", "counter", "commands run, by command word");
    for (const [kind, n] of [...this.commands].sort()) {
      out.sample("ptgbot_commands_total", n, { command: kind });
    }
    out.family(
      "ptgbot_command_refusals_total",
      "counter",
      "commands answered with a refusal, by command word",
    );
    for (const [kind, n] of [...this.refusals].sort()) {
      out.sample("ptgbot_command_refusals_total", n, { command: kind });
    }
    out.metric("ptgbot_event_streams", "gauge", "open live-update streams (/events)", this.#src.streams());
    histogram(
      out,
      "ptgbot_commit_duration_seconds",
      "time to commit a batch of changes to KV",
      this.commitSeconds,
    );
    out.family(
      "ptgbot_reminders_sent_total",
      "counter",
      "reminder notices queued to followers (and channel announcements), by kind",
    );
    for (const [kind, n] of [...this.reminders].sort()) {
      out.sample("ptgbot_reminders_sent_total", n, { kind });
    }
    histogram(
      out,
      "ptgbot_reminder_lateness_seconds",
      "how long after its moment (a slot's start, or the reminder before it) each notice was queued",
      this.reminderLateness,
    );
    out.metric(
      "ptgbot_commit_failures_total",
      "counter",
      "commits that failed (storage problems)",
      this.commitFailures,
    );
    if (this.lastCommit !== undefined) {
      out.metric(
        "ptgbot_last_commit_timestamp_seconds",
        "gauge",
        "when this process last committed (Unix time)",
        this.lastCommit / 1000,
      );
    }
    out.metric(
      "ptgbot_state_version",
      "gauge",
      "the store's version, one more with every commit by any process",
      this.#src.version(),
    );
    const notAfter = this.#src.certificateExpiry?.();
    if (notAfter) {
      out.metric(
        "ptgbot_certificate_expiry_timestamp_seconds",
        "gauge",
        "when the served certificate expires (Unix time)",
        notAfter.getTime() / 1000,
      );
    }
    return out.text();
  }

  /** One line for an operator: the link, the lease, the load, the last commit. */
  status(): string {
    const now = this.#src.now().getTime();
    const ago = (t: number) => `${Math.max(0, Math.round((now - t) / 1000))} s ago`;
    const parts: string[] = [];
    const irc = this.#src.irc?.();
    if (!irc) parts.push("no IRC");
    else {
      parts.push(
        irc.connectedAt === undefined
          ? "IRC not connected"
          : `IRC connected since ${new Date(irc.connectedAt).toISOString().slice(0, 19)}Z${
            irc.joined ? "" : " (not in the channel)"
          }`,
      );
      parts.push(`send queue ${irc.queued} (${irc.dropped} dropped)`);
    }
    const lease = this.#src.leaseHeld?.();
    if (lease !== undefined) {
      const holder = this.#src.leaseHolder?.();
      parts.push(lease ? "lease held" : holder ? `lease held by ${holder}` : "lease not held");
    }
    let total = 0, refused = 0;
    for (const n of this.commands.values()) total += n;
    for (const n of this.refusals.values()) refused += n;
    parts.push(`${total} commands (${refused} refused)`);
    parts.push(`${this.#src.streams()} streams open`);
    parts.push(this.lastCommit === undefined ? "no commit yet" : `last commit ${ago(this.lastCommit)}`);
    parts.push(`version ${this.#src.version()}`);
    const notAfter = this.#src.certificateExpiry?.();
    if (notAfter) {
      parts.push(`certificate until ${notAfter.toISOString().slice(0, 10)}`);
    }
    return `status: ${parts.join(", ")}`;
  }
}
