/**
 * The list of served files (`lib/web/embed.ts` writes `lib/web/embedded.ts`): current, every module the
 * browser imports is served, and what the type check resolves is what the browser gets.
 */
import assert from "node:assert/strict";
import { contentType, embeddedModule, servedFiles, TARGET } from "../../lib/web/embed.ts";
import { EMBEDDED } from "../../lib/web/embedded.ts";
import { ASSETS } from "../../lib/web/assets.ts";
import denoJson from "../../deno.json" with { type: "json" };

const ROOT = new URL("../../", import.meta.url);

/** The relative modules a script imports, as the browser reads its static import and export statements. */
function imports(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^;"]*?(?:from\s+)?"(\.{1,2}\/[^"]+)"/gm)].map((m) =>
    m[1]
  );
}

Deno.test("assets: lib/web/embedded.ts lists what static/ and lib/shared/ hold (run `deno task assets`)", async () => {
  assert.equal(await Deno.readTextFile(new URL(TARGET, ROOT)), await embeddedModule());
  const names = (await servedFiles()).map((f) => f.name);
  assert.deepEqual(Object.keys(EMBEDDED), names);
  for (const name of ["render.js", "vdom.js", "rules.js", "common.js", "patch.js", "ptg.css", "icon.svg"]) {
    assert.ok(names.includes(name), name);
  }
  assert.ok(!names.some((n) => n.endsWith(".html")), "the pages' HTML is put together by pages.ts");
  for (const name of names) {
    assert.equal(ASSETS[`/assets/${name}`].type, contentType(name), name);
  }
});

Deno.test("assets: every module a served script imports is served beside it", () => {
  let seen = 0;
  for (const [name, text] of Object.entries(EMBEDDED)) {
    if (!name.endsWith(".js")) continue;
    for (const spec of imports(text)) {
      seen++;
      assert.match(spec, /^\.\/[^/]+$/, `${name} imports ${spec}: the browser would leave /assets/`);
      assert.ok(Object.hasOwn(EMBEDDED, spec.slice(2)), `${name} imports ${spec}, which is not served`);
    }
  }
  assert.ok(seen > 5, "the scripts' imports were read");
});

Deno.test("assets: a static script's import of a shared module is mapped for the type check to that module", async () => {
  const map: Record<string, string> = denoJson.imports;
  const files = await servedFiles();
  let mapped = 0;
  for (const f of files.filter((f) => f.path.startsWith("static/") && f.name.endsWith(".js"))) {
    for (const spec of imports(EMBEDDED[f.name] ?? "")) {
      // One not served at all is the test above's to report.
      const served = files.find((g) => g.name === spec.slice(2));
      if (!served || served.path.startsWith("static/")) continue;
      mapped++;
      assert.equal(
        map[`./static/${served.name}`],
        `./${served.path}`,
        `deno.json maps ./static/${served.name}`,
      );
    }
  }
  assert.ok(mapped > 0);
  for (const [key, target] of Object.entries(map).filter(([k]) => k.startsWith("./static/"))) {
    assert.ok(files.some((f) => `./static/${f.name}` === key && `./${f.path}` === target), key);
  }
});

Deno.test("assets: two served files of one name are refused", async () => {
  const root = await Deno.makeTempDir({ prefix: "ptgbot-embed-" });
  try {
    await Deno.mkdir(`${root}/static`);
    await Deno.mkdir(`${root}/lib/shared`, { recursive: true });
    await Deno.writeTextFile(`${root}/static/a.js`, "");
    await Deno.writeTextFile(`${root}/static/page.html`, "");
    await Deno.writeTextFile(`${root}/lib/shared/b.js`, "");
    const url = new URL(`file://${root}/`);
    assert.deepEqual((await servedFiles(url)).map((f) => f.path), ["static/a.js", "lib/shared/b.js"]);
    await Deno.writeTextFile(`${root}/lib/shared/a.js`, "");
    await assert.rejects(
      () => servedFiles(url),
      /static\/a\.js and lib\/shared\/a\.js would both be \/assets\/a\.js/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
