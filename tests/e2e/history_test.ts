/** The event's record through the real program: kept across ~newday and a restart, served, and printed by --history. */
import assert from "node:assert/strict";
import { runMain, startBot, withConfig } from "../helpers/process.ts";
import { removing } from "../helpers/e2e.ts";

Deno.test("history: survives ~newday and a restart; /history.json, /nova.md and --history nova show it", async () => {
  const { dir, path } = await withConfig({ console: true, timezone: "UTC" });
  await using _dir = removing(dir);
  let bot = await startBot([path], dir);
  await bot.send("#nova now Live migration");
  await bot.send("+in #nova");
  await bot.send("+subscribe nova");
  await bot.send("~newday");
  await bot.waitFor(/^New day:/);
  await bot.send("#cinder now Backups <b>bold</b>");
  await bot.waitFor(/^#cinder now: Backups/);
  assert.equal((await bot.stop()).code, 0);

  bot = await startBot([path], dir);
  const base = `http://127.0.0.1:${bot.port}`;
  const record = await (await fetch(`${base}/history.json`)).json();
  assert.deepEqual(record.entries.map((e: { track: string; topic: string }) => `${e.track}: ${e.topic}`), [
    "nova: Live migration",
    "cinder: Backups <b>bold</b>",
  ]);
  assert.doesNotMatch(JSON.stringify(record), /console|subscri/i);
  const md = await fetch(`${base}/nova.md`);
  assert.equal(md.headers.get("content-type"), "text/markdown; charset=utf-8");
  assert.match(
    await md.text(),
    /^# #nova at TRN-ptg: summary\n\n## \w+day \d{4}-\d\d-\d\d\n\n### \d\d:\d\d Live migration/,
  );
  const page = await (await fetch(`${base}/history.html`)).text();
  assert.ok(page.includes("Backups &lt;b&gt;bold&lt;/b&gt;"));
  assert.equal((await bot.stop()).code, 0);

  const printed = await runMain([path, "--history", "#cinder"], dir);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(
    printed.stdout,
    /^# #cinder at TRN-ptg: summary\n\n## .*\n\n### \d\d:\d\d Backups <b>bold<\/b>/,
  );
  const refused = await runMain([path, "--history", "no such"], dir);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, `ptgbot: --history: "no such" is not a track name\n`);
});
