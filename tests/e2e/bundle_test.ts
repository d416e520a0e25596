/** The one-file bundle (what `deno compile` embeds too) serves the pages and answers on the console. */
import assert from "node:assert/strict";
import { startBot } from "../helpers/process.ts";
import { SAMPLE_FILE } from "../helpers/fixtures.ts";

Deno.test({
  name: "bundle: deno bundle builds one file that serves every page and runs console commands",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-bundle-" });
    const out = `${dir}/ptgbot.js`;
    const root = new URL("../..", import.meta.url).pathname;
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--unstable-raw-imports", "-o", out, "main.ts"],
      cwd: root,
    }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    // Run it away from the project, so nothing can be read from static/ or node_modules.
    const run = `${dir}/run`;
    await Deno.mkdir(run);
    await Deno.copyFile(SAMPLE_FILE, `${run}/event.json`);
    await Deno.writeTextFile(
      `${run}/config.json`,
      JSON.stringify({ http_port: 0, console: true, base: "event.json" }),
    );
    const bot = await startBot(["config.json"], run, out, ["--unstable-kv", "--unstable-net"]);
    try {
      for (
        const [path, needle] of [
          ["/", "On now, and where"],
          ["/etherpads.html", "etherpad"],
          ["/index.html", "Useful links"],
          ["/signage.html", "signage.js"],
          ["/assets/ptg.js", 'start("ptg"'],
          ["/assets/render.js", "export function toHtml"],
          ["/assets/theme.js", "prefers-color-scheme"],
          ["/tracks.css", ".t-nova{"],
          ["/assets/ptg.css", ".badge"],
          ["/ptg.json", "TRN-ptg"],
          ["/ptg.ics", "BEGIN:VCALENDAR"],
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
