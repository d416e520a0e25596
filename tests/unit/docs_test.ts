/** The docs agree with the code: the command and config references, the sample config, the page's help. */
import assert from "node:assert/strict";
import { GENERATED, generatedPart } from "../../docs/reference.ts";
import { CONFIG_KEYS, type ConfigKey, parseConfig } from "../../lib/app/config.ts";
import { COMMANDS, syntax } from "../../lib/engine/commands.ts";
import { webApp } from "../helpers/fixtures.ts";

const root = new URL("../../", import.meta.url);

Deno.test("docs: the generated references match the command and config tables (run `deno task docs`)", async () => {
  for (const { file, name, make } of GENERATED) {
    const text = await Deno.readTextFile(new URL(file, root));
    assert.equal(generatedPart(text, name), make(), `${file} is out of date: run deno task docs`);
  }
});

Deno.test("docs: config.json.sample parses, names only known keys, and shows their defaults", async () => {
  const text = await Deno.readTextFile(new URL("config.json.sample", root));
  const warnings: string[] = [];
  parseConfig(text, (w) => warnings.push(w));
  assert.deepEqual(warnings, []);
  // Where the sample shows a key that has a plain default, it shows that default; a VM listens on every address.
  const chosen = new Set(["http_host"]);
  for (const [key, value] of Object.entries(JSON.parse(text))) {
    const spec: ConfigKey = CONFIG_KEYS[key as keyof typeof CONFIG_KEYS];
    if (spec.default !== undefined && !chosen.has(key)) assert.equal(value, spec.default, key);
  }
  assert.ok(!("base" in JSON.parse(text)), "the sample event is for the demo only");
});

Deno.test("docs: the page's help lists every command of the table", async () => {
  const res = await webApp().get("/ptg.html");
  const html = await res.text();
  assert.ok(!html.includes("<!-- commands -->"));
  for (const spec of COMMANDS) {
    for (const word of spec.words) {
      const shown = syntax(spec, word, "TRACK", "+").replace(/&/g, "&amp;").replace(/</g, "&lt;");
      assert.ok(html.includes(`<code>${shown}</code>`), `help lacks ${shown}`);
    }
  }
  assert.match(html, /<details><summary><h3>Channel operators<\/h3><\/summary>/);
});
