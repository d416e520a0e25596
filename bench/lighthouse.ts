/**
 * Lighthouse (12.2.3, mobile preset) on the demo's /ptg.html: the sample
 * event moved to today, served by the real program, checked by Debian's
 * Chromium. Lighthouse runs on Node from its own folder (bench/lighthouse/,
 * `npm ci` there first) so that it stays out of deno.json.
 *
 *   cd bench/lighthouse && npm ci && cd ../.. && deno task bench:lighthouse
 *
 * Prints the performance and accessibility scores and the main metrics, and
 * fails when performance < 95 or accessibility < 100. With LIGHTHOUSE_REPORT=FILE
 * the whole report (JSON) is kept there, for its long tasks and requests.
 */
import { parseConfig } from "../lib/app/config.ts";
import { startProgram } from "../lib/app/program.ts";
import { OP } from "../tests/helpers/fixtures.ts";

const here = new URL("./lighthouse/", import.meta.url).pathname;
const bin = `${here}node_modules/.bin/lighthouse`;
const dir = await Deno.makeTempDir({ prefix: "ptgbot-lighthouse-" });
const program = await startProgram(
  parseConfig(JSON.stringify({
    kv_path: `${dir}/s.kv`,
    base: new URL("../base.json", import.meta.url).pathname,
    http_host: "127.0.0.1",
    http_port: 0,
    timezone: "UTC",
  })),
);
for (
  const line of [
    "#nova now Live migration with #cinder, see https://wiki.example.org/nova",
    "#cinder now Backups and restores",
    "#swift now Erasure codes",
    "#nova next Quotas",
    "+in #nova",
  ]
) await program.runner.run(OP, line);

try {
  const out = `${dir}/report.json`;
  const path = Deno.args[0] ?? "/ptg.html";
  const cmd = new Deno.Command(bin, {
    args: [
      `http://127.0.0.1:${program.addr.port}${path}`,
      "--only-categories=performance,accessibility",
      "--output=json",
      `--output-path=${out}`,
      "--quiet",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ],
    env: { CHROME_PATH: Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium" },
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await cmd.output();
  if (code !== 0) throw new Error(`lighthouse exited with ${code}`);
  const report = JSON.parse(await Deno.readTextFile(out));
  const keep = Deno.env.get("LIGHTHOUSE_REPORT");
  if (keep) await Deno.copyFile(out, keep);
  const score = (c: string) => Math.round(report.categories[c].score * 100);
  const metric = (id: string) => report.audits[id].displayValue;
  const perf = score("performance");
  const a11y = score("accessibility");
  console.log(`lighthouse ${report.lighthouseVersion} ${report.configSettings.formFactor} ${path}`);
  console.log(`performance ${perf}, accessibility ${a11y}`);
  for (
    const id of [
      "first-contentful-paint",
      "largest-contentful-paint",
      "total-blocking-time",
      "cumulative-layout-shift",
      "speed-index",
    ]
  ) {
    console.log(`  ${id}: ${metric(id)}`);
  }
  for (
    const [id, a] of Object.entries(report.audits) as [string, { score: number | null; title: string }][]
  ) {
    if (
      a.score !== null && a.score < 1 &&
      report.categories.accessibility.auditRefs.some((r: { id: string }) => r.id === id)
    ) {
      console.log(`  accessibility: ${id}: ${a.title}`);
    }
  }
  // What moved, when anything did.
  const shifts = report.audits["layout-shifts"]?.details?.items ?? [];
  for (const item of shifts as { node?: { selector?: string; snippet?: string }; score?: number }[]) {
    console.log(
      `  layout shift ${item.score?.toFixed(4)}: ${item.node?.selector} ${item.node?.snippet ?? ""}`,
    );
  }
  if (perf < 95 || a11y < 100) Deno.exitCode = 1;
} finally {
  await program.stop();
  await Deno.remove(dir, { recursive: true });
}
