/**
 * /metrics as Prometheus reads it (parsed by an independent parser) after a
 * few commands on a real IRC server, and the one-line status on SIGUSR2 and
 * the console's `status`. The status signal opens no port (SIGUSR1 would:
 * Deno's debugger listens on 127.0.0.1:9229 after it).
 */
import assert from "node:assert/strict";
import parsePrometheus from "parse-prometheus-text-format";
import { ask, CHANNEL, startIrcBot, startIrcServer, TestClient } from "../helpers/irc.ts";
import { NOW } from "../helpers/fixtures.ts";
import { startBot, withConfig } from "../helpers/process.ts";
import { portsOf } from "../../lib/app/listeners.ts";
import { E2E } from "../helpers/e2e.ts";

interface Family {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
  }[];
}

/** The value of `name` (with these labels); undefined when absent. */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const m = families.find((f) => f.name === name)?.metrics.find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)
  );
  return m?.value === undefined ? undefined : Number(m.value);
}

/** A bucket's upper bound as a number. */
const bound = (le: string) => (le === "+Inf" ? Infinity : Number(le));

Deno.test({
  name:
    "metrics: /metrics parses as Prometheus text with the link, lease, commands, refusals, streams and commits",
  ...E2E,
  fn: async () => {
    const server = await startIrcServer();
    const olga = await TestClient.connect(server.port, "olga", CHANNEL); // first in: channel operator
    const logs: string[] = [];
    const bot = await startIrcBot(server.port, logs);
    const alice = await TestClient.connect(server.port, "alice", CHANNEL);
    const base = `http://127.0.0.1:${bot.addr.port}`;
    let stream: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      assert.equal(await ask(alice, CHANNEL, "+in #nova"), "alice: alice checked in to #nova");
      assert.match(await ask(alice, CHANNEL, "+in #nosuch"), /Unknown track/);
      assert.match(await ask(alice, CHANNEL, "~add octavia"), /Need op/);
      assert.match(await ask(olga, CHANNEL, "~list"), /^olga: Tracks: /);
      assert.equal(await ask(olga, CHANNEL, "#nova now Cells v2"), "olga: #nova now: Cells v2");
      const events = await fetch(`${base}/events`);
      stream = events.body!.getReader();
      await stream.read(); // the stream is open once its first bytes come

      const res = await fetch(`${base}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
      const families: Family[] = parsePrometheus(await res.text());

      assert.equal(value(families, "ptgbot_irc_connected"), 1);
      const since = value(families, "ptgbot_irc_connected_since_seconds")!;
      assert.ok(Number.isFinite(since) && since > 0, `connected since ${since}`);
      assert.equal(value(families, "ptgbot_irc_joined"), 1);
      assert.equal(value(families, "ptgbot_lease_held"), 1);
      assert.equal(
        value(families, "ptgbot_lease_holder_info", { holder: `${Deno.hostname()}:${Deno.pid}` }),
        1,
      );
      assert.equal(value(families, "ptgbot_commands_total", { command: "in" }), 2);
      assert.equal(value(families, "ptgbot_commands_total", { command: "add" }), 1);
      assert.equal(value(families, "ptgbot_commands_total", { command: "list" }), 1);
      assert.equal(value(families, "ptgbot_commands_total", { command: "now" }), 1);
      assert.equal(value(families, "ptgbot_command_refusals_total", { command: "in" }), 1);
      assert.equal(value(families, "ptgbot_command_refusals_total", { command: "add" }), 1);
      assert.equal(value(families, "ptgbot_command_refusals_total", { command: "now" }), undefined);
      assert.equal(value(families, "ptgbot_send_queue_lines"), 0);
      assert.equal(value(families, "ptgbot_send_queue_dropped_total"), 0);
      assert.equal(value(families, "ptgbot_event_streams"), 1);
      assert.equal(value(families, "ptgbot_commit_failures_total"), 0);
      // Two commands changed the state: two commits, timed, the last one at the injected clock's time.
      const histogram = families.find((f) => f.name === "ptgbot_commit_duration_seconds")!;
      assert.equal(histogram.type, "HISTOGRAM");
      assert.equal(histogram.metrics[0].count, "2");
      assert.equal(histogram.metrics[0].buckets!["+Inf"], "2");
      const counts = Object.entries(histogram.metrics[0].buckets!)
        .sort(([a], [b]) => bound(a) - bound(b))
        .map(([, n]) => Number(n));
      assert.deepEqual(counts, [...counts].sort((a, b) => a - b), "buckets are cumulative");
      assert.equal(value(families, "ptgbot_last_commit_timestamp_seconds"), NOW.getTime() / 1000);
      assert.equal(value(families, "ptgbot_state_version"), bot.store.version);
      // No HTTPS: no certificate to expire.
      assert.equal(families.find((f) => f.name === "ptgbot_certificate_expiry_timestamp_seconds"), undefined);
    } finally {
      await stream?.cancel();
      alice.close();
      olga.close();
      await bot.stop();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "metrics: SIGUSR2 logs one status line to stderr and opens no port, SIGUSR1 leaves none open; the console's status word prints it",
  ...E2E,
  fn: async () => {
    const { dir, path } = await withConfig({ console: true });
    const bot = await startBot([path], dir);
    try {
      await bot.send("~add octavia");
      await bot.waitFor(/^Added octavia$/);
      await bot.send("status");
      const line = await bot.waitFor(/^status: /);
      assert.match(
        line,
        /^status: no IRC, 1 commands \(0 refused\), 0 streams open, last commit \d+ s ago, version \d+$/,
      );
      const before = bot.output.length;
      const ports = await portsOf(bot.proc.pid);
      assert.deepEqual(ports, [bot.port], "it listens on its web port only");
      Deno.kill(bot.proc.pid, "SIGUSR2");
      const logged = await bot.waitFor(/^ptgbot: status: /);
      assert.match(logged, /^ptgbot: status: no IRC, 1 commands \(0 refused\), 0 streams open, last commit/);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(bot.output.length, before + 1, "one line");
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(await portsOf(bot.proc.pid), ports, "no new listener (no debugger)");
      // SIGUSR1, sent by habit: Deno opens its debugger whatever a program does; the bot closes it at once.
      Deno.kill(bot.proc.pid, "SIGUSR1");
      await bot.waitFor(/^ptgbot: SIGUSR1 made Deno open its debugger; closed it again/);
      assert.deepEqual(await portsOf(bot.proc.pid), ports, "the debugger is closed again");
    } finally {
      assert.equal((await bot.stop()).code, 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
