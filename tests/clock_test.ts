/** The event clock: the UTC shortcut agrees with the time zone database. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { localTime } from "../lib/state/clock.ts";

Deno.test("clock: UTC without time zone data gives what Intl gives for Etc/UTC and GMT", () => {
  const intl = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Africa/Abidjan", // UTC all year, read from the time zone data
    weekday: "long",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  fc.assert(
    fc.property(
      fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
      (d) => {
        const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
        const expected = {
          weekday: p.weekday,
          stamp: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`,
        };
        assert.deepEqual(localTime(d, "UTC"), expected);
        assert.deepEqual(localTime(d, "Africa/Abidjan"), expected);
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
