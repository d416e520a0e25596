/** Every page's renderer (`lib/shared/render.js`): whatever the state holds stays text in the HTML. */
import assert from "node:assert/strict";
import { RENDERERS } from "../../lib/shared/render.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { applyChanges } from "../../lib/state/model.ts";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const at = NOW.getTime();

Deno.test("render: a hostile location, nick, day, room name, link or banner stays text on every page", () => {
  const state = sampleState();
  const evil = `<img src=x onerror=alert(1)>"'`;
  applyChanges(state, [
    { op: "set", map: "now", key: "nova", value: "x" },
    { op: "set", map: "location", key: "nova", value: evil },
    {
      op: "set",
      map: "last_check_in",
      key: "e",
      value: { nick: evil, location: "#nova", in: "x", out: null },
    },
  ], "2027-04-12 10:00:00");
  state.slots[evil] = [];
  state.schedule[evil] = { MonA1: "qa", url: "javascript:alert(2)" };
  state.links[evil] = "javascript:alert(3)";
  state.links[`${evil}!`] = "https://ok.example.org/";
  state.etherpads = { ...state.etherpads, nova: "javascript:alert(4)" };
  state.motd = [{ level: "info", message: evil }];
  for (const page of ["ptg", "signage", "links", "etherpads"] as const) {
    const html = toHtml(Object.values(RENDERERS[page](state, { now: at, timeZone: "UTC" })).flat());
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;/);
  }
});
