/** The one rule for "today", shared by the bot and the pages, and moving the demo's event to the current week. */
import assert from "node:assert/strict";
import {
  bookingsOn,
  dayDates,
  etherpadOf,
  localTime,
  openingDay,
  pickBooking,
  todayOf,
} from "../../lib/shared/rules.js";
import fc from "fast-check";
import { moveEvent } from "../../lib/state/move_event.ts";
import { runLine } from "../../lib/engine/engine.ts";
import { ALICE, CTX, sampleState, texts } from "../helpers/fixtures.ts";

const slot = (name: string, realtime?: string) => ({ name, desc: "", ...(realtime ? { realtime } : {}) });

// Monday and Wednesday with a free Tuesday between them; slots at 09:00 and 14:00 UTC.
const TIMED = {
  Monday: [slot("MonA", "2027-04-12T09:00:00Z"), slot("MonB", "2027-04-12T14:00:00Z")],
  Wednesday: [slot("WedA", "2027-04-14T09:00:00Z"), slot("WedB", "2027-04-14T14:00:00Z")],
};

Deno.test("rules: with times, today is the event day of the current date; outside its dates none is", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    // moment, today, the day the page opens on
    ["2027-04-05T10:00:00Z", undefined, "Monday"], // the Monday the week before
    ["2027-04-11T23:59:59Z", undefined, "Monday"], // the evening before
    ["2027-04-12T00:00:00Z", "Monday", "Monday"], // the first minute of the first day
    ["2027-04-12T20:00:00Z", "Monday", "Monday"], // after its last slot, still that day
    ["2027-04-13T10:00:00Z", undefined, "Wednesday"], // between the days
    ["2027-04-14T09:30:00Z", "Wednesday", "Wednesday"],
    ["2027-04-15T10:00:00Z", undefined, "Wednesday"], // after the event: its last day
    ["2027-04-19T10:00:00Z", undefined, "Wednesday"], // the Monday the week after
    ["2027-04-21T10:00:00Z", undefined, "Wednesday"], // the Wednesday the week after
  ];
  for (const [at, today, opening] of cases) {
    assert.equal(todayOf(TIMED, new Date(at), "UTC"), today, at);
    assert.equal(openingDay(TIMED, new Date(at), "UTC"), opening, at);
  }
});

Deno.test("rules: the date is the one in the event's time zone, not the host's or UTC's", () => {
  // 09:00 UTC on Monday is 02:00 on Monday in Los Angeles (PDT, UTC-7); 16:00 Sunday there is 23:00 UTC Sunday.
  assert.deepEqual([...dayDates(TIMED, "America/Los_Angeles")], [["Monday", "2027-04-12"], [
    "Wednesday",
    "2027-04-14",
  ]]);
  assert.equal(todayOf(TIMED, new Date("2027-04-12T06:00:00Z"), "America/Los_Angeles"), undefined);
  assert.equal(todayOf(TIMED, new Date("2027-04-12T07:00:00Z"), "America/Los_Angeles"), "Monday");
  // In Tokyo (UTC+9) Monday 09:00 UTC is Monday 18:00, and Monday 23:00 UTC is already Tuesday.
  assert.equal(todayOf(TIMED, new Date("2027-04-12T14:59:59Z"), "Asia/Tokyo"), "Monday");
  assert.equal(todayOf(TIMED, new Date("2027-04-12T15:00:00Z"), "Asia/Tokyo"), undefined);
  assert.equal(localTime(new Date("2027-04-12T15:00:00Z"), "Asia/Tokyo").stamp, "2027-04-13 00:00:00");
});

Deno.test("rules: without times, the weekday name decides, in the event's zone", () => {
  const untimed = { Monday: [slot("MonA")], Tuesday: [slot("TueA")] };
  assert.equal(todayOf(untimed, new Date("2030-01-07T12:00:00Z"), "UTC"), "Monday"); // any Monday
  assert.equal(todayOf(untimed, new Date("2030-01-08T12:00:00Z"), "UTC"), "Tuesday");
  assert.equal(todayOf(untimed, new Date("2030-01-09T12:00:00Z"), "UTC"), undefined); // a Wednesday
  assert.equal(openingDay(untimed, new Date("2030-01-09T12:00:00Z"), "UTC"), "Monday");
  // Tuesday 03:00 UTC is still Monday evening in New York.
  assert.equal(todayOf(untimed, new Date("2030-01-08T03:00:00Z"), "America/New_York"), "Monday");
  assert.equal(todayOf({}, new Date("2030-01-08T03:00:00Z"), "UTC"), undefined);
  assert.equal(openingDay({}, new Date("2030-01-08T03:00:00Z"), "UTC"), undefined);
});

Deno.test("rules: a track's etherpad is its own, else EVENTID-TRACK under the base", () => {
  const base = "https://pads.example.org/p/";
  assert.equal(etherpadOf({ eventid: "X-ptg", etherpads: {} }, "nova", base), `${base}X-ptg-nova`);
  assert.equal(etherpadOf({ eventid: "", etherpads: {} }, "nova", base), `${base}nova`);
  assert.equal(
    etherpadOf({ eventid: "X", etherpads: { nova: "https://own.example.org/" } }, "nova", base),
    "https://own.example.org/",
  );
});

Deno.test("engine: outside the event's dates no room is today: a note, and no location is set", () => {
  for (const at of ["2027-04-05T10:00:00Z", "2027-04-17T10:00:00Z", "2027-04-19T10:00:00Z"]) {
    const state = sampleState();
    const out = runLine(state, ALICE, "#nova now Cells", { ...CTX, now: new Date(at) });
    assert.deepEqual(texts(out?.replies), ["#nova now: Cells (note: #nova has no room scheduled today)"], at);
    assert.ok(!out!.changes.some((c) => c.op === "set" && c.map === "location"), at);
  }
  // During the event, on a day nova has a room: no note, and its room becomes its location.
  const out = runLine(sampleState(), ALICE, "#nova now Cells", {
    ...CTX,
    now: new Date("2027-04-13T10:00:00Z"),
  });
  assert.deepEqual(texts(out?.replies), ["#nova now: Cells"]);
  assert.ok(out!.changes.some((c) => c.op === "set" && c.map === "location" && c.value === "Cedar"));
});

Deno.test("moveEvent: the sample starts on the given day, days and slot codes renamed, times kept", () => {
  const moved = moveEvent(sampleState(), "2026-12-02", "UTC"); // a Wednesday
  assert.deepEqual(Object.keys(moved.slots), ["Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
  assert.deepEqual(moved.slots.Wednesday[0], {
    name: "WedA1",
    desc: "09:00-10:45",
    realtime: "2026-12-02T09:00:00.000Z",
    duration: 105,
  });
  assert.equal(moved.slots.Sunday[3].realtime, "2026-12-06T15:15:00.000Z");
  // Ballroom A had nova all Monday and cinder all Wednesday.
  assert.equal(moved.schedule["Ballroom A"].WedA1, "nova");
  assert.equal(moved.schedule["Ballroom A"].FriA1, "cinder");
  assert.equal(moved.schedule["Ballroom A"].url, "https://meet.example.org/ballroom-a");
  assert.equal(moved.schedule["Ballroom A"].MonA1, undefined);
  assert.equal(todayOf(moved.slots, new Date("2026-12-02T23:30:00Z"), "UTC"), "Wednesday");
  // Every slot code in the rooms is a slot of some day.
  const codes = new Set(Object.values(moved.slots).flat().map((s) => s.name));
  for (const room of Object.values(moved.schedule)) {
    for (const key of Object.keys(room)) {
      if (!["url", "desc", "cap_icon", "cap_desc"].includes(key)) assert.ok(codes.has(key), key);
    }
  }
  // In a zone where the first slot falls on the day before in UTC terms, the local date still leads.
  const tokyo = moveEvent(sampleState(), "2026-12-06", "Asia/Tokyo"); // a Sunday
  assert.equal(todayOf(tokyo.slots, new Date("2026-12-06T01:00:00Z"), "Asia/Tokyo"), "Sunday");
  // Already on that day: unchanged.
  const same = sampleState();
  assert.equal(moveEvent(same, "2027-04-12", "UTC"), same);
});

Deno.test("rules: UTC without time zone data gives what the time zone data gives for a zone at UTC", () => {
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

Deno.test("rules: other zones shift the date, the weekday and the stamp", () => {
  const d = new Date("2027-04-12T23:30:00Z"); // Monday in UTC
  assert.deepEqual(localTime(d, "Asia/Tokyo"), {
    date: "2027-04-13",
    weekday: "Tuesday",
    stamp: "2027-04-13 08:30:00",
  });
  assert.deepEqual(localTime(d, "America/Denver"), {
    date: "2027-04-12",
    weekday: "Monday",
    stamp: "2027-04-12 17:30:00",
  });
});

Deno.test("rules: where a track is on a day: its running slot, else its next, else its first", () => {
  const slots = {
    Monday: [
      { name: "A", realtime: "2027-04-12T09:00:00Z", duration: 60 },
      { name: "B", realtime: "2027-04-12T11:00:00Z", duration: 60 },
      { name: "C", realtime: "2027-04-12T13:00:00Z", duration: 60 },
    ],
  };
  const schedule = { Red: { A: "nova", B: "", C: "nova", url: "https://x/" }, Blue: { B: "nova", C: "qa" } };
  const nova = bookingsOn(slots, schedule, "Monday").get("nova")!;
  assert.deepEqual(nova.map((b) => `${b.room}-${b.slot.name}`), ["Red-A", "Blue-B", "Red-C"]);
  const at = (t: string) => pickBooking(nova, new Date(`2027-04-12T${t}:00Z`));
  assert.equal(at("08:00")?.room, "Red", "before the day: the first (also the next)");
  assert.equal(at("11:30")?.room, "Blue", "running");
  assert.equal(at("12:15")?.slot.name, "C", "between slots: the next");
  assert.equal(at("18:00")?.slot.name, "A", "after the day: the first");
  assert.equal(bookingsOn(slots, schedule, undefined).size, 0);
  assert.equal(pickBooking([], 0), undefined);
});
