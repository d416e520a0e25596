/** The signage page's regions (`lib/shared/signage_page.js`): where each topic is. */
import assert from "node:assert/strict";
import { signageRegions } from "../../lib/shared/signage_page.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { applyChanges } from "../../lib/state/model.ts";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const at = NOW.getTime();

Deno.test("render: signage shows where a topic is", () => {
  const state = sampleState();
  applyChanges(
    state,
    [{ op: "set", map: "now", key: "nova", value: "Live migration" }],
    "2027-04-12 10:00:00",
  );
  const sign = toHtml(signageRegions(state, { now: at, timeZone: "UTC" }).now);
  assert.match(sign, /Ballroom A.*09:00–10:45.*Live migration/);
});
