/** The iCalendar feeds, read back by an independent parser (node-ical). */
import assert from "node:assert/strict";
import ical from "node-ical";
import { calendar } from "../../lib/web/ics.ts";
import { sampleState } from "../helpers/fixtures.ts";

type Ev = {
  type: string;
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
};

function events(text: string): Ev[] {
  return Object.values(ical.sync.parseICS(text)).filter((e) =>
    (e as Ev).type === "VEVENT"
  ) as unknown as Ev[];
}

Deno.test("ics: one event per booked slot of the track, with times, etherpad and URL", () => {
  const state = sampleState();
  state.urls.nova = "https://meet.example.org/nova-room";
  const evs = events(calendar(state, "nova", "https://pads.example.org/p/", new Date(0)));
  // nova: Monday all four slots in Ballroom A, Tuesday A1/A2 in Cedar, Thursday A1/A2 in Cedar.
  assert.equal(evs.length, 8);
  const first = evs.find((e) => e.start.toISOString() === "2027-04-12T09:00:00.000Z")!;
  assert.equal(first.end.toISOString(), "2027-04-12T10:45:00.000Z");
  assert.equal(first.summary, "#nova (Ballroom A)");
  assert.equal(first.location, "Ballroom A");
  assert.match(first.description, /Etherpad: https:\/\/pads\.example\.org\/p\/TRN-ptg-nova/);
  assert.match(first.description, /URL: https:\/\/meet\.example\.org\/nova-room/);
  assert.equal(new Set(evs.map((e) => e.uid)).size, evs.length);
});

Deno.test("ics: the all-tracks feed has every booked slot; UIDs are stable", () => {
  const state = sampleState();
  const text = calendar(state, undefined, "https://pads.example.org/p/", new Date(0));
  const booked =
    Object.values(state.schedule).flatMap((room) =>
      Object.entries(room).filter(([k, v]) => /^(Mon|Tue|Wed|Thu|Fri)[AB]\d$/.test(k) && v !== "")
    ).length;
  assert.equal(events(text).length, booked);
  assert.equal(calendar(state, undefined, "https://pads.example.org/p/", new Date(0)), text);
});

Deno.test("ics: slots without realtime are skipped; duration defaults to 60 minutes", () => {
  const state = sampleState();
  delete state.slots.Monday[0].realtime;
  delete state.slots.Monday[1].duration;
  const evs = events(calendar(state, "nova", "https://pads.example.org/p/", new Date(0)));
  assert.equal(evs.length, 7);
  const a2 = evs.find((e) => e.start.toISOString() === "2027-04-12T11:00:00.000Z")!;
  assert.equal(a2.end.getTime() - a2.start.getTime(), 60 * 60_000);
});

Deno.test("ics: hostile room and track data stays inside its properties", () => {
  const state = sampleState();
  state.schedule["Evil\r\nBEGIN:VEVENT"] = { MonA1: "nova", url: "javascript:alert(1)" };
  const text = calendar(state, "nova", "https://pads.example.org/p/", new Date(0));
  const evs = events(text);
  assert.equal(evs.length, 9);
  assert.doesNotMatch(text, /javascript:/);
  assert.equal(text.match(/^BEGIN:VEVENT/gm)!.length, 9);
});
