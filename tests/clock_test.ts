/** The event clock: the UTC shortcut agrees with the time zone database. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { localTime } from "../lib/state/clock.ts";

Deno.test("clock: UTC without time zone data gives what the time zone data gives for a zone at UTC", () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
      (d) => {
        // Africa/Abidjan is UTC all year and goes through Intl; "UTC" takes the shortcut.
        const viaData = localTime(d, "Africa/Abidjan");
        assert.deepEqual(localTime(d, "UTC"), viaData);
        assert.equal(viaData.stamp, d.toISOString().slice(0, 19).replace("T", " "));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("clock: other zones shift the day and the stamp", () => {
  const d = new Date("2027-04-12T23:30:00Z"); // Monday in UTC
  assert.deepEqual(localTime(d, "Asia/Tokyo"), { weekday: "Tuesday", stamp: "2027-04-13 08:30:00" });
  assert.deepEqual(localTime(d, "America/Denver"), { weekday: "Monday", stamp: "2027-04-12 17:30:00" });
});
