/** The one-file bundle (what `deno compile` embeds too) serves the pages and answers on the console. */
import assert from "node:assert/strict";
import { ctrlC, spawnBot, startBot } from "../helpers/process.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";
import { E2E, OPEN_RESOURCES } from "../helpers/e2e.ts";

let built: Promise<{ out: string; run: string }> | undefined;

/** Builds the bundle once, with a directory away from the project to run it in (nothing from static/ or node_modules). */
function bundle(): Promise<{ out: string; run: string }> {
  built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-bundle-" });
    const out = `${dir}/ptgbot.js`;
    const root = new URL("../..", import.meta.url).pathname;
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--unstable-raw-imports", "-o", out, "main.ts"],
      cwd: root,
    }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    const run = `${dir}/run`;
    await Deno.mkdir(run);
    await Deno.copyFile(SAMPLE_FILE, `${run}/event.json`);
    await Deno.writeTextFile(
      `${run}/config.json`,
      JSON.stringify({ http_port: 0, console: true, base: "event.json" }),
    );
    return { out, run };
  })();
  return built;
}

Deno.test({
  name: "bundle: deno bundle builds one file that serves every page and runs console commands",
  ...OPEN_RESOURCES,
  fn: async () => {
    const { out, run } = await bundle();
    const bot = await startBot(["config.json"], run, out, ["--unstable-kv", "--unstable-net"]);
    try {
      for (
        const [path, needle] of [
          ["/", "On now, and where"],
          ["/etherpads.html", "etherpad"],
          ["/index.html", "Useful links"],
          ["/signage.html", "signage.js"],
          ["/assets/ptg.js", 'start("ptg"'],
          ["/assets/vdom.js", "export function toHtml"],
          ["/assets/theme.js", "prefers-color-scheme"],
          ["/tracks.css", ".t-nova{"],
          ["/assets/ptg.css", ".badge"],
          ["/ptg.json", "TRN-ptg"],
          ["/ptg.ics", "BEGIN:VCALENDAR"],
          ["/history.html", "Nothing recorded yet"],
          ["/assets/history.js", "history.json"],
        ]
      ) {
        const res = await fetch(`http://127.0.0.1:${bot.port}${path}`);
        assert.equal(res.status, 200, path);
        assert.ok((await res.text()).includes(needle), `${path} has ${needle}`);
      }
      await bot.send("~add bundled");
      await bot.waitFor(/^Added bundled$/);
      await bot.send("#bundled now From the bundle");
      await bot.waitFor(/^#bundled now: From the bundle/);
      const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
      assert.equal(doc.now.bundled, "From the bundle");
    } finally {
      assert.equal((await bot.stop()).code, 0);
    }
  },
});

Deno.test({
  name: "bundle: one Ctrl-C to the process group stops cleanly; a second one a second later leaves at once",
  ...E2E,
  fn: async () => {
    const { out, run } = await bundle();
    const start = () =>
      spawnBot(
        Deno.execPath(),
        ["run", "-A", "--unstable-kv", "--unstable-net", out, "config.json"],
        run,
        {},
        true,
      );
    let bot = await start();
    assert.equal((await ctrlC(bot, { doubled: true })).code, 0, bot.output.join("\n"));
    assert.deepEqual(bot.output.filter((l) => /SIGINT|stopped/.test(l)), [
      "ptgbot: SIGINT, stopping",
      "ptgbot: stopped cleanly",
    ]);
    bot = await start();
    const t0 = performance.now();
    assert.equal((await ctrlC(bot, { againAfterMs: 1100 })).code, 1, bot.output.join("\n"));
    assert.ok(bot.output.includes("ptgbot: SIGINT again, leaving now"), bot.output.join("\n"));
    assert.ok(performance.now() - t0 < 2500);
  },
});
