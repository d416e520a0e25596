/**
 * `--import` into the store of a running bot: one switch to a new
 * generation in KV, which the running bot follows (it polls the store's
 * version) without a restart, and which a commit of the bot's meanwhile
 * cannot swallow.
 */
import assert from "node:assert/strict";
import { importFrom } from "../../lib/app/documents.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { emptyState } from "../../lib/state/model.ts";
import { runMain, startBot, withConfig } from "../helpers/process.ts";
import { OPEN_RESOURCES } from "../helpers/e2e.ts";

/** An event document unlike the sample: its own id and one track. */
const IMPORTED = { eventid: "imported-2027", tracks: ["restored"], now: { restored: "From the backup" } };

Deno.test("import: a commit by the running bot between its open and its switch does not lose the import", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-import-" });
  const running = await KvStore.open(`${dir}/s.kv`);
  const importer = await KvStore.open(`${dir}/s.kv`);
  try {
    await Deno.writeTextFile(`${dir}/doc.json`, JSON.stringify(IMPORTED));
    // The running bot commits after the importer read the version: the importer's first switch is refused.
    assert.ok(await running.replace(emptyState("2027-04-12 09:00:00")));
    assert.equal(await importFrom(importer, `${dir}/doc.json`, "UTC"), undefined);
    assert.ok(await running.refresh(), "the running store sees a new version");
    assert.equal(running.state.eventid, "imported-2027");
    assert.deepEqual(running.state.tracks, ["restored"]);
  } finally {
    running.close();
    importer.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "import: a running bot serves the imported state without a restart, and goes on committing",
  ...OPEN_RESOURCES,
  fn: async () => {
    const { dir, path } = await withConfig({ console: true });
    const bot = await startBot([path], dir);
    try {
      await bot.send("~add before");
      await bot.waitFor(/^Added before$/);
      await Deno.writeTextFile(`${dir}/doc.json`, JSON.stringify(IMPORTED));
      const imported = await runMain([path, "--import", `${dir}/doc.json`], dir);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /^ptgbot: imported .*doc\.json into /);
      let doc: { eventid?: string; tracks?: string[] } = {};
      for (let i = 0; i < 40 && doc.eventid !== "imported-2027"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
      }
      assert.equal(doc.eventid, "imported-2027", "the page serves the import");
      assert.deepEqual(doc.tracks, ["restored"]);
      // The bot's next command works on the imported state (not on what it held before).
      await bot.send("#restored now After the restore");
      await bot.waitFor(/^#restored now: After the restore/);
      doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
      assert.deepEqual(doc.tracks, ["restored"]);
    } finally {
      assert.equal((await bot.stop()).code, 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
