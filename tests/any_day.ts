/**
 * Runs the test suite with the clock faked (Debian's `faketime`; Deno and the
 * Chromium and ngircd it starts all see the faked time) at moments that catch
 * tests which read the real date, weekday or time zone: a Sunday near
 * midnight UTC, a Wednesday, and a day inside the sample event.
 *
 *     deno task test:any-day [TEST FILES OR FOLDERS…]
 *
 * Ends with one `N passed, N failed` line over all runs; exits 1 if any run failed.
 *
 * @module
 */

const MOMENTS: [string, string][] = [
  ["a Sunday near midnight UTC", "2026-12-06 23:40:00"],
  ["a Wednesday", "2026-12-09 12:00:00"],
  ["a day inside the sample event", "2027-04-13 10:00:00"],
];

const targets = Deno.args.length ? Deno.args : ["tests/"];
let passed = 0;
let failed = 0;
for (const [what, moment] of MOMENTS) {
  console.log(`\n== ${what}: ${moment} UTC ==`);
  const run = new Deno.Command("faketime", {
    args: [moment, Deno.execPath(), "test", "--allow-all", "--parallel", ...targets],
    // The moment is read as UTC; the tests themselves must not care about the zone.
    env: { TZ: "UTC", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let tail = "";
  const dec = new TextDecoder();
  for await (const chunk of run.stdout) {
    const text = dec.decode(chunk, { stream: true });
    await Deno.stdout.write(chunk);
    tail = (tail + text).slice(-4000);
  }
  const status = await run.status;
  const m = /(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(tail);
  passed += m ? Number(m[1]) : 0;
  failed += m ? Number(m[2]) : 1;
  if (!status.success && (!m || m[2] === "0")) failed++;
}
console.log(`\nany day: ${passed} passed, ${failed} failed`);
Deno.exit(failed ? 1 : 0);
