/** The exposition's shape without a program around it. */
import assert from "node:assert/strict";
import parsePrometheus from "parse-prometheus-text-format";
import { Metrics } from "../../lib/app/metrics.ts";

Deno.test("metrics: label values are quoted so that the text still parses", () => {
  const m = new Metrics({ streams: () => 0, version: () => 7, now: () => new Date(0) });
  m.command('odd"kind\\with\nbreak', true);
  const families = parsePrometheus(m.exposition());
  const commands = families.find((f: { name: string }) => f.name === "ptgbot_commands_total");
  assert.deepEqual(commands?.metrics, [{ value: "1", labels: { command: 'odd"kind\\with\nbreak' } }]);
  // Without IRC or commits, those metrics are left out rather than shown as zero.
  const names = families.map((f: { name: string }) => f.name);
  assert.ok(
    !names.includes("ptgbot_irc_connected") && !names.includes("ptgbot_last_commit_timestamp_seconds"),
  );
});
