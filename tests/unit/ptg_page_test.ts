/** The main page's regions (`lib/shared/ptg_page.js`): the day tabs, who is checked in. */
import assert from "node:assert/strict";
import { ptgRegions } from "../../lib/shared/ptg_page.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { applyChanges } from "../../lib/state/model.ts";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const at = NOW.getTime();

Deno.test("render: day tabs carry dates when slots have times; the tab widget's attributes", () => {
  const state = sampleState();
  const tabs = ptgRegions(state, { now: at, timeZone: "UTC" }).days;
  const html = toHtml(tabs);
  assert.match(html, /aria-selected="true" tabindex="0"[^>]*>Monday 12 Apr</);
  assert.equal((html.match(/tabindex="-1"/g) ?? []).length, 4);
  assert.equal((html.match(/aria-controls="schedule"/g) ?? []).length, 5);
  for (const list of Object.values(state.slots)) for (const s of list) delete s.realtime;
  assert.match(toHtml(ptgRegions(state, { now: at, timeZone: "UTC" }).days), />Monday<\/button>/);
});

Deno.test("render: check-ins show count and names", () => {
  const state = sampleState();
  applyChanges(state, [
    { op: "set", map: "now", key: "nova", value: "Live migration" },
    {
      op: "set",
      map: "last_check_in",
      key: "bob",
      value: { nick: "bob", location: "#nova", in: "x", out: null },
    },
    {
      op: "set",
      map: "last_check_in",
      key: "al",
      value: { nick: "al", location: "#nova", in: "x", out: null },
    },
  ], "2027-04-12 10:00:00");
  const now = toHtml(ptgRegions(state, { now: at, timeZone: "UTC" }).now);
  assert.match(now, /2 here: al, bob/);
});
