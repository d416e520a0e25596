/** Spreadsheet grids through the program: `--import`/`--export FILE.csv` and `~fetchdb` of a grid over real HTTP. */
import assert from "node:assert/strict";
import { fetchDocument } from "../../lib/fetch/fetch_document.ts";
import { Runner } from "../../lib/app/runner.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { CTX, NOW, OP, sampleState, texts } from "../helpers/fixtures.ts";
import { runMain, withConfig } from "../helpers/process.ts";
import { ERROR_CASES, european } from "../helpers/csv_cases.ts";
import { OPEN_RESOURCES, removing } from "../helpers/e2e.ts";

const PARIS = new URL("../../examples/paris_5x20.csv", import.meta.url).pathname;
const EXPECTED = new URL("../unit/data/paris_5x20.expected.json", import.meta.url).pathname;

Deno.test("csv: --import FILE.csv builds the event; --export FILE.csv writes the same grid back", async () => {
  const { dir, path } = await withConfig({ timezone: "Europe/Paris" });
  await using _dir = removing(dir);
  const imported = await runMain([path, "--import", PARIS], dir);
  assert.equal(imported.code, 0, imported.stderr);
  const backup = await runMain([path, "--export", `${dir}/backup.json`], dir);
  assert.equal(backup.code, 0, backup.stderr);
  const doc = JSON.parse(await Deno.readTextFile(`${dir}/backup.json`));
  const expected = JSON.parse(await Deno.readTextFile(EXPECTED));
  assert.equal(doc.eventid, "TRN-ptg");
  assert.deepEqual(doc.slots, expected.slots);
  assert.deepEqual(doc.schedule, expected.schedule);
  assert.ok(doc.tracks.includes("designate") && doc.colors.designate);
  const grid = await runMain([path, "--export", `${dir}/out.csv`], dir);
  assert.equal(grid.code, 0, grid.stderr);
  assert.equal(await Deno.readTextFile(`${dir}/out.csv`), await Deno.readTextFile(PARIS));
});

Deno.test("csv: an exported grid with ; in its id and cells a spreadsheet would run imports again as it was", async () => {
  const { dir, path } = await withConfig({ timezone: "Europe/Paris" });
  await using _dir = removing(dir);
  // Written by hand as a European spreadsheet saves it; the `'` before `=`, `@` and `'` is taken off.
  const grid = 'event;"TRN;2027"\ntimezone;Europe/Paris\nroom;description;Mon 2027-04-12 09:00-10:00\n' +
    `'=HYPERLINK("http://x");'+33 1 23;nova\n'''quoted;'@SUM(A1);\n`;
  await Deno.writeTextFile(`${dir}/in.csv`, grid);
  const first = await runMain([path, "--import", `${dir}/in.csv`], dir);
  assert.equal(first.code, 0, first.stderr);
  assert.equal((await runMain([path, "--export", `${dir}/a.json`], dir)).code, 0);
  const doc = JSON.parse(await Deno.readTextFile(`${dir}/a.json`));
  assert.equal(doc.eventid, "TRN;2027");
  assert.deepEqual(doc.schedule, {
    '=HYPERLINK("http://x")': { desc: "+33 1 23", MonA1: "nova" },
    "''quoted": { desc: "@SUM(A1)", MonA1: "" },
  });
  assert.equal((await runMain([path, "--export", `${dir}/out.csv`], dir)).code, 0);
  const out = await Deno.readTextFile(`${dir}/out.csv`);
  assert.equal(
    out,
    'event,"TRN;2027"\r\ntimezone,Europe/Paris\r\nroom,description,Mon 2027-04-12 09:00-10:00\r\n' +
      `"'=HYPERLINK(""http://x"")",'+33 1 23,nova\r\n'''quoted,'@SUM(A1),\r\n`,
  );
  // The exported grid goes back in: the same document, and exported again the same file.
  const again = await runMain([path, "--import", `${dir}/out.csv`], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await runMain([path, "--export", `${dir}/b.json`], dir)).code, 0);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/b.json`)).schedule, doc.schedule);
  assert.equal((await runMain([path, "--export", `${dir}/out2.csv`], dir)).code, 0);
  assert.equal(await Deno.readTextFile(`${dir}/out2.csv`), out);
});

Deno.test("csv: every bad grid is refused through --import, naming its cell, and the store stays as it was", async () => {
  const { dir, path } = await withConfig({ timezone: "Europe/Paris" });
  await using _dir = removing(dir);
  // The store holds the sample event (the config's base) before the refused imports.
  assert.equal((await runMain([path, "--export", `${dir}/before.json`], dir)).code, 0);
  const before = await Deno.readTextFile(`${dir}/before.json`);
  for (const [what, text, line] of ERROR_CASES) {
    await Deno.writeTextFile(`${dir}/bad.csv`, text);
    const res = await runMain([path, "--import", `${dir}/bad.csv`], dir);
    assert.equal(res.code, 2, what);
    assert.equal(res.stderr, `ptgbot: --import ${dir}/bad.csv: ${line}\n`, what);
  }
  assert.equal((await runMain([path, "--export", `${dir}/after.json`], dir)).code, 0);
  assert.equal(await Deno.readTextFile(`${dir}/after.json`), before);
  // A schedule without times cannot be a grid: said, and no file written.
  await Deno.writeTextFile(
    `${dir}/untimed.json`,
    JSON.stringify({ slots: { Monday: [{ name: "M1", desc: "am" }] } }),
  );
  assert.equal((await runMain([path, "--import", `${dir}/untimed.json`], dir)).code, 0);
  const untimed = await runMain([path, "--export", `${dir}/untimed.csv`], dir);
  assert.equal(untimed.code, 2);
  assert.match(untimed.stderr, /slot M1 of Monday has no time/);
  await assert.rejects(Deno.stat(`${dir}/untimed.csv`));
});

Deno.test({
  name:
    "csv: ~fetchdb loads a .csv URL and a text/csv answer; bad grids answer their cell and change nothing",
  ...OPEN_RESOURCES,
  fn: async () => {
    const grids: Record<string, string> = {};
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const name = new URL(req.url).pathname;
      const body = grids[name];
      if (body === undefined) return new Response("no", { status: 404 });
      // `/x.csv` comes as text/plain (a pastebin's raw view); others say text/csv.
      const type = name.endsWith(".csv") ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8";
      return new Response(body, { headers: { "content-type": type } });
    });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-csv-" });
    const store = await KvStore.open(`${dir}/s.kv`);
    try {
      const paris = await Deno.readTextFile(PARIS);
      grids["/event.csv"] = paris;
      grids["/sheet"] = european(paris);
      const state = sampleState();
      state.now.nova = "Quotas";
      await store.replace(state);
      const runner = new Runner(
        store,
        { ...CTX, timeZone: "Europe/Paris" },
        (u) => fetchDocument(u, { allow: ["127.0.0.1"], timeZone: "Europe/Paris" }),
      );
      runner.clock = () => NOW;
      for (const [what, text, line] of ERROR_CASES) {
        grids["/bad.csv"] = text;
        const before = stateToJson(store.state, true);
        const [reply] = texts(await runner.run(OP, `~fetchdb ${base}/bad.csv`))!;
        assert.equal(reply, `~fetchdb ${base}/bad.csv refused: ${line}; nothing changed`, what);
        assert.equal(stateToJson(store.state, true), before, what);
      }
      for (const path of ["/event.csv", "/sheet"]) {
        assert.deepEqual(texts(await runner.run(OP, `~fetchdb ${base}${path}`)), [
          `Loaded eventid, slots, schedule from ${base}${path}`,
        ]);
        const expected = JSON.parse(await Deno.readTextFile(EXPECTED));
        assert.deepEqual(JSON.parse(JSON.stringify(store.state.slots)), expected.slots);
        assert.deepEqual(JSON.parse(JSON.stringify(store.state.schedule)), expected.schedule);
        // Only the grid's keys are replaced: topics stay, the grid's tracks are added.
        assert.equal(store.state.now.nova, "Quotas");
        assert.ok(store.state.tracks.includes("designate"));
      }
    } finally {
      await store.close();
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
