/** The useful links page's regions (`lib/shared/links_page.js`): only http(s) links, names as text. */
import assert from "node:assert/strict";
import { linksRegions } from "../../lib/shared/links_page.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const view = { now: NOW.getTime(), timeZone: "UTC" };

Deno.test("render: the useful links are those with an http(s) URL, their names as text", () => {
  const state = sampleState();
  state.links = { "<b>Wiki</b>": "https://wiki.example.org/", "Bad": "javascript:alert(1)" };
  assert.equal(
    toHtml(linksRegions(state, view).links),
    '<ul class="links"><li><a href="https://wiki.example.org/" rel="noopener noreferrer">&lt;b&gt;Wiki&lt;/b&gt;</a>' +
      "</li></ul>",
  );
  state.links = { Bad: "javascript:alert(1)" };
  assert.equal(toHtml(linksRegions(state, view).links), '<p class="empty">No links yet.</p>');
});
