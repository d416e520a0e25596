/**
 * `/schedule.json` against c3voc's published JSON Schema (vendored in
 * tests/data/, source noted in tests/README.md), checked with ajv: the
 * sample event, a large one and one in a zone with no name the format accepts.
 */
import assert from "node:assert/strict";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import { acronymOf, scheduleJson } from "../../lib/web/schedule_json.ts";
import { sampleState } from "../helpers/fixtures.ts";
import { largeState } from "../../bench/large_event.ts";
import schema from "../data/c3voc_schedule_schema.json" with { type: "json" };

function validator(): ValidateFunction {
  // The schema uses draft-06, a colour format of its own and annotations ajv's strict mode does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  addFormats.default(ajv);
  ajv.addFormat("color", /^#[0-9a-fA-F]{6}$/);
  return ajv.compile(schema);
}
const validate = validator();

function check(doc: unknown): void {
  const ok = validate(doc);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1));
}

type Ev = Record<string, unknown>;
type Day = { date: string; rooms: Record<string, Ev[]> };
const daysOf = (doc: Record<string, unknown>) =>
  ((doc.schedule as Record<string, unknown>).conference as { days: Day[] }).days;

Deno.test("schedule.json: the sample event validates; each booked slot is a talk of its room", async () => {
  const state = sampleState();
  state.urls.nova = "https://meet.example.org/nova-room";
  state.now.nova = "Live migration";
  const doc = await scheduleJson(state, "Europe/Paris");
  check(doc);
  const conf = (doc.schedule as Record<string, unknown>).conference as Record<string, unknown>;
  assert.equal(conf.title, "TRN-ptg");
  assert.equal(conf.acronym, "trn_ptg");
  assert.equal(conf.time_zone_name, "Europe/Paris");
  assert.equal(conf.start, "2027-04-12");
  const events = daysOf(doc).flatMap((d) => Object.values(d.rooms).flat());
  const booked =
    Object.values(state.schedule).flatMap((room) =>
      Object.entries(room).filter(([k, v]) => /^(Mon|Tue|Wed|Thu|Fri)[AB]\d$/.test(k) && v !== "")
    ).length;
  assert.equal(events.length, booked);
  const first = daysOf(doc)[0].rooms["Ballroom A"][0];
  assert.equal(first.date, "2027-04-12T11:00:00+02:00");
  assert.equal(first.start, "11:00");
  assert.equal(first.duration, "01:45");
  assert.equal(first.title, "#nova");
  assert.equal(first.subtitle, "Live migration");
  assert.equal(first.track, "nova");
  assert.equal(first.url, "https://meet.example.org/nova-room");
  assert.equal(new Set(events.map((e) => e.guid)).size, events.length);
  // Stable: another build (another process would do the same) gives the same document.
  assert.deepEqual(await scheduleJson(state, "Europe/Paris"), doc);
});

Deno.test("schedule.json: a 60-room event and odd names validate", async () => {
  check(await scheduleJson(largeState(), "America/Argentina/Buenos_Aires"));
  const state = sampleState();
  state.eventid = "X";
  state.schedule["Évent / hall #1"] = { MonA1: "nova" };
  const doc = await scheduleJson(state, "Etc/GMT-3");
  check(doc);
  assert.equal(((doc.schedule as Record<string, unknown>).conference as Ev).time_zone_name, undefined);
});

Deno.test("schedule.json: an event without slot times is a valid empty schedule", async () => {
  const state = sampleState();
  for (const list of Object.values(state.slots)) for (const s of list) delete s.realtime;
  const doc = await scheduleJson(state, "UTC");
  check(doc);
  assert.deepEqual(daysOf(doc), []);
});

Deno.test("schedule.json: acronyms follow the format's rule", () => {
  for (const id of ["TRN-ptg", "", "a", "OpenInfra PTG 2027", "__"]) {
    assert.match(acronymOf(id), /^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$/, id);
  }
});

Deno.test("schedule.json: the validator rejects what the format forbids", async () => {
  // So a pass above means something: a bad acronym, a guid that is no UUID, a duration in minutes.
  const bad = {
    schedule: { version: "1", conference: { acronym: "X", title: "t", days: [], daysCount: 0 } },
  };
  assert.equal(validate(bad), false);
  for (const [key, value] of [["guid", "slot-1"], ["duration", 105], ["date", "Monday 9:00"]] as const) {
    const doc = await scheduleJson(sampleState(), "Europe/Paris");
    daysOf(doc)[0].rooms["Ballroom A"][0][key] = value;
    assert.equal(validate(doc), false, key);
  }
});
