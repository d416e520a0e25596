/**
 * `deno task start` as a newcomer runs it, on a fresh copy of the project:
 * a few lines of the program's own (what it serves, where the state is, how
 * to stop), nothing installed, and one Ctrl-C (which reaches the program
 * twice: from the terminal and forwarded by `deno task`) stops it cleanly,
 * while a second one later leaves at once.
 */
import assert from "node:assert/strict";
import { ctrlC, freshCopy, spawnBot } from "../helpers/process.ts";
import { e2eTest, removing } from "../helpers/e2e.ts";

const test = (name: string, fn: () => Promise<void>) => e2eTest(`start: ${name}`, fn);

/** `deno task start` in `dir` on a free port, in a process group of its own. */
const start = (dir: string) =>
  spawnBot(Deno.execPath(), ["task", "start", "--port", "0"], dir, { NO_COLOR: "1" }, true);

test("deno task start on a fresh copy prints only the program's lines and installs nothing", async () => {
  const dir = await freshCopy();
  await using _dir = removing(dir);
  const bot = await start(dir);
  await bot.waitFor(/stops/);
  await new Promise((r) => setTimeout(r, 500)); // anything late would show now
  const lines = bot.output.filter((l) => !/^Task start /.test(l)); // deno task's own echo of the command
  assert.equal(bot.output.length - lines.length, 1, bot.output.join("\n"));
  assert.deepEqual(
    lines.map((l) => l.replace(/\d+/g, "N")),
    [
      "ptgbot: serving http://N.N.N.N:N/",
      `ptgbot: state in ${dir}/ptgbot.kv`,
      "ptgbot: type commands as an operator (~list, #help, status); Ctrl-C stops",
    ].map((l) => l.replace(/\d+/g, "N")),
  );
  const status = await ctrlC(bot);
  assert.equal(status.code, 0, bot.output.join("\n"));
  assert.equal(bot.output.filter((l) => l === "ptgbot: SIGINT, stopping").length, 1, bot.output.join("\n"));
  assert.ok(bot.output.includes("ptgbot: stopped cleanly"), bot.output.join("\n"));
  assert.ok(!bot.output.some((l) => /again/.test(l)), bot.output.join("\n"));
  // The test-only packages (and every other) stay out of the project.
  await assert.rejects(Deno.stat(`${dir}/node_modules`), Deno.errors.NotFound);
});

test("one Ctrl-C delivered twice at once (terminal and a forwarding shell) still stops cleanly", async () => {
  const dir = await freshCopy();
  await using _dir = removing(dir);
  const bot = await start(dir);
  const status = await ctrlC(bot, { doubled: true });
  assert.equal(status.code, 0, bot.output.join("\n"));
  assert.ok(bot.output.includes("ptgbot: stopped cleanly"), bot.output.join("\n"));
  assert.ok(!bot.output.some((l) => /again/.test(l)), bot.output.join("\n"));
});

test("under deno task start, a second Ctrl-C a second later leaves at once", async () => {
  const dir = await freshCopy();
  await using _dir = removing(dir);
  const bot = await start(dir);
  const t0 = performance.now();
  const status = await ctrlC(bot, { againAfterMs: 1100 });
  const took = performance.now() - t0;
  assert.equal(status.code, 1, bot.output.join("\n"));
  assert.ok(bot.output.includes("ptgbot: SIGINT again, leaving now"), bot.output.join("\n"));
  // The clean stop would have drained for 3 s under this traffic.
  assert.ok(took < 2500, `took ${took} ms`);
});
