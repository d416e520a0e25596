/** The pages served with the state in them (`lib/web/pages.ts`): filled regions, `/tracks.css`. */
import assert from "node:assert/strict";
import { applyChanges } from "../../lib/state/model.ts";
import { webApp } from "../helpers/fixtures.ts";

Deno.test("web: pages arrive with the state in them; /tracks.css; rebuilt after a change", async () => {
  const a = webApp();
  const first = await a.get("/ptg.html");
  const html = await first.text();
  assert.match(html, /<h1 id="title">TRN-ptg: tracks<\/h1>/);
  assert.match(html, /<button type="button" role="tab" id="day-0"/);
  assert.match(html, /<link rel="stylesheet" id="tracks-css" href="tracks\.css\?v=/);
  assert.doesNotMatch(html, /<!--@/);
  const etag = first.headers.get("etag")!;
  assert.equal((await a.get("/ptg.html", { "if-none-match": etag })).status, 304);
  applyChanges(a.state, [{ op: "set", map: "now", key: "nova", value: "<b>x</b>" }], "2027-04-12 10:00:01");
  a.bump();
  const changed = await a.get("/ptg.html", { "if-none-match": etag });
  assert.equal(changed.status, 200);
  assert.match(
    await changed.text(),
    /Ballroom A<\/a><\/span> · <span class="slot slot-now">09:00–10:45<\/span>.*&lt;b&gt;x&lt;\/b&gt;/s,
  );
  const css = await a.get("/tracks.css");
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert.match(await css.text(), /\.t-nova\{background-color:#[0-9a-f]{6}\}/);
  for (const path of ["/signage.html", "/etherpads.html", "/index.html"]) {
    const page = await (await a.get(path)).text();
    assert.doesNotMatch(page, /<!--@|Loading/);
  }
  a.web.close();
});
