/** How days and times read on the pages (`lib/shared/labels.js`). */
import assert from "node:assert/strict";
import { dayLabel, slotLabel } from "../../lib/shared/labels.js";

Deno.test("render: a day's label carries its date when its slots have times", () => {
  assert.equal(dayLabel("Wednesday", "2027-04-14"), "Wednesday 14 Apr");
  assert.equal(dayLabel("Wednesday", undefined), "Wednesday");
});

Deno.test("render: a slot reads as its times on the viewer's clock, else as its description", () => {
  const slot = { name: "MonA1", desc: "09:00-10:45", realtime: "2027-04-12T09:00:00Z", duration: 105 };
  assert.equal(slotLabel(slot, "UTC"), "09:00–10:45");
  assert.equal(slotLabel(slot, "Asia/Tokyo"), "18:00–19:45");
  assert.equal(slotLabel({ name: "X", desc: "morning" }, "UTC"), "morning");
});
