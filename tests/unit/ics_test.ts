/**
 * The iCalendar feeds, read back by an independent parser (node-ical):
 * times in the event's zone with its VTIMEZONE, stable UIDs, DTSTAMP,
 * LAST-MODIFIED and SEQUENCE from the state's timestamp, a set of tracks
 * named in the URL, and the bound on how many sets are kept.
 */
import assert from "node:assert/strict";
import ical from "node-ical";
import { calendar, type CalendarOptions, sequenceOf, stampOf } from "../../lib/web/ics.ts";
import { Feeds, MAX_TRACKS_QUERY, parseTrackSet } from "../../lib/web/feeds.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { VersionCache } from "../../lib/web/version_cache.ts";
import { vtimezone } from "../../lib/web/vtimezone.ts";
import { sampleState } from "../helpers/fixtures.ts";
import type { State } from "../../lib/state/model.ts";

type Ev = {
  type: string;
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  url?: { val: string };
};

const OPTS: CalendarOptions = {
  etherpadBase: "https://pads.example.org/p/",
  stamp: new Date("2027-04-12T08:00:00Z"),
  timeZone: "Europe/Paris",
};

function events(text: string): Ev[] {
  return Object.values(ical.sync.parseICS(text)).filter((e) =>
    (e as Ev).type === "VEVENT"
  ) as unknown as Ev[];
}

const booked = (state: State, tracks?: string[]) =>
  Object.values(state.schedule).flatMap((room) =>
    Object.entries(room).filter(([k, v]) =>
      /^(Mon|Tue|Wed|Thu|Fri)[AB]\d$/.test(k) && v !== "" && (!tracks || tracks.includes(v))
    )
  ).length;

Deno.test("ics: one event per booked slot of the track, with times, etherpad and URL", () => {
  const state = sampleState();
  state.urls.nova = "https://meet.example.org/nova-room";
  const text = calendar(state, ["nova"], OPTS);
  const evs = events(text);
  // nova: Monday all four slots in Ballroom A, Tuesday A1/A2 in Cedar, Thursday A1/A2 in Cedar.
  assert.equal(evs.length, 8);
  const first = evs.find((e) => e.start.toISOString() === "2027-04-12T09:00:00.000Z")!;
  assert.equal(first.end.toISOString(), "2027-04-12T10:45:00.000Z");
  assert.equal(first.summary, "#nova (Ballroom A)");
  assert.equal(first.location, "Ballroom A");
  assert.equal(first.url?.val, "https://meet.example.org/nova-room");
  assert.match(first.description, /Etherpad: https:\/\/pads\.example\.org\/p\/TRN-ptg-nova/);
  assert.match(first.description, /URL: https:\/\/meet\.example\.org\/nova-room/);
  assert.equal(new Set(evs.map((e) => e.uid)).size, evs.length);
  // Wall-clock times in the event's zone, which the feed defines.
  assert.match(text, /^DTSTART;TZID=Europe\/Paris:20270412T110000\r$/m);
  assert.match(text, /^BEGIN:VTIMEZONE\r\nTZID:Europe\/Paris\r$/m);
});

Deno.test("ics: DTSTAMP, LAST-MODIFIED and SEQUENCE come from the state's timestamp, in UTC", () => {
  const state = sampleState();
  const stamp = stampOf(state, "Europe/Paris");
  // The sample's "2027-04-11 08:00:00" is Paris time.
  assert.equal(stamp.toISOString(), "2027-04-11T06:00:00.000Z");
  const text = calendar(state, undefined, { ...OPTS, stamp });
  const n = booked(state);
  assert.equal(text.match(/^DTSTAMP:20270411T060000Z\r$/gm)?.length, n);
  assert.equal(text.match(/^LAST-MODIFIED:20270411T060000Z\r$/gm)?.length, n);
  assert.equal(text.match(new RegExp(`^SEQUENCE:${sequenceOf(stamp)}\\r$`, "gm"))?.length, n);
  // A later change makes a larger SEQUENCE; an unreadable timestamp is the epoch, not the host's clock.
  state.timestamp = "2027-04-11 08:00:01";
  assert.equal(sequenceOf(stampOf(state, "Europe/Paris")), sequenceOf(stamp) + 1);
  state.timestamp = "";
  assert.equal(stampOf(state, "Europe/Paris").getTime(), 0);
});

Deno.test("ics: the all-tracks feed has every booked slot; UIDs are stable across builds and changes", () => {
  const state = sampleState();
  const text = calendar(state, undefined, OPTS);
  assert.equal(events(text).length, booked(state));
  assert.equal(calendar(state, undefined, OPTS), text);
  const before = new Map(events(text).map((e) => [`${e.location} ${e.start.toISOString()}`, e.uid]));
  // Another booking elsewhere and a new timestamp: the same slots keep their UIDs.
  state.schedule["Ballroom A"].TueA1 = "cinder";
  state.timestamp = "2027-04-12 11:00:00";
  const after = events(calendar(state, undefined, { ...OPTS, stamp: stampOf(state, OPTS.timeZone) }));
  for (const e of after) {
    const uid = before.get(`${e.location} ${e.start.toISOString()}`);
    if (uid) assert.equal(e.uid, uid);
  }
});

Deno.test("ics: a set of tracks is the union of their slots, named in the calendar", () => {
  const state = sampleState();
  const text = calendar(state, ["nova", "cinder"], OPTS);
  assert.equal(events(text).length, booked(state, ["nova", "cinder"]));
  assert.match(text, /^X-WR-CALNAME:#nova, #cinder at TRN-ptg\r$/m);
  assert.ok(events(text).every((e) => /^#(nova|cinder) /.test(e.summary)));
});

Deno.test("ics: an event in UTC needs no VTIMEZONE", () => {
  const text = calendar(sampleState(), ["nova"], { ...OPTS, timeZone: "UTC" });
  assert.doesNotMatch(text, /VTIMEZONE|TZID/);
  assert.match(text, /^DTSTART:20270412T090000Z\r$/m);
});

Deno.test("ics: VTIMEZONE lists the zone's transitions in the covered years", () => {
  const paris = vtimezone("Europe/Paris", 2027, 2027);
  assert.match(
    paris,
    /BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/,
  );
  assert.match(
    paris,
    /BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100/,
  );
  // Southern hemisphere: summer time at the start of the year.
  const sydney = vtimezone("Australia/Sydney", 2027, 2027);
  assert.match(sydney, /TZOFFSETFROM:\+1100\r\nTZOFFSETTO:\+1100/);
  assert.match(
    sydney,
    /BEGIN:STANDARD\r\nDTSTART:20270404T030000\r\nTZOFFSETFROM:\+1100\r\nTZOFFSETTO:\+1000/,
  );
  // No transitions: one observance.
  assert.equal(vtimezone("Asia/Kolkata", 2026, 2028).match(/BEGIN:(STANDARD|DAYLIGHT)/g)?.length, 1);
  assert.throws(() => vtimezone("Mars/Olympus", 2027, 2027), RangeError);
});

Deno.test("ics: slots without realtime are skipped; duration defaults to 60 minutes", () => {
  const state = sampleState();
  delete state.slots.Monday[0].realtime;
  delete state.slots.Monday[1].duration;
  const evs = events(calendar(state, ["nova"], OPTS));
  assert.equal(evs.length, 7);
  const a2 = evs.find((e) => e.start.toISOString() === "2027-04-12T11:00:00.000Z")!;
  assert.equal(a2.end.getTime() - a2.start.getTime(), 60 * 60_000);
});

Deno.test("ics: hostile room and track data stays inside its properties", () => {
  const state = sampleState();
  state.schedule["Evil\r\nBEGIN:VEVENT"] = { MonA1: "nova", url: "javascript:alert(1)" };
  const text = calendar(state, ["nova"], OPTS);
  const evs = events(text);
  assert.equal(evs.length, 9);
  assert.doesNotMatch(text, /javascript:/);
  assert.equal(text.match(/^BEGIN:VEVENT/gm)!.length, 9);
});

Deno.test("feeds: tracks= names tracks without regard to case; anything else is a one-line reason", () => {
  const state = sampleState();
  assert.deepEqual(
    parseTrackSet(state, "NOVA,cinder, #Swift,nova"),
    ["nova", "cinder", "swift"].sort((a, b) => state.tracks.indexOf(a) - state.tracks.indexOf(b)),
  );
  assert.match(parseTrackSet(state, "nova,nosuch") as string, /^unknown track in tracks=: "nosuch"$/);
  assert.match(parseTrackSet(state, " , ,") as string, /names no track/);
  assert.match(parseTrackSet(state, "nova,".repeat(MAX_TRACKS_QUERY)) as string, /longer than/);
});

Deno.test("feeds: random track sets keep at most maxSets calendars per version", async () => {
  const state = sampleState();
  const feeds = new Feeds(
    snapshots({ state, version: 1 }, { etherpadBase: "https://pads.example.org/p/", timeZone: "UTC" }),
    new VersionCache(),
    8,
  );
  // A hostile client: every request a different subset (and unknown names, which build nothing).
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 300; i++) {
    const set = state.tracks.filter(() => rand() < 0.5).join(",") || state.tracks[0];
    const answer = await feeds.allOrSet(`http://x/ptg.ics?tracks=${i % 3 ? set : `${set},zz${i}`}`);
    if (i % 3) assert.ok(!(answer instanceof Response));
    else assert.equal((answer as Response).status, 400);
    assert.ok(feeds.cachedCalendars <= 8, `${feeds.cachedCalendars} calendars kept`);
  }
  // The most recently used set stays; a repeat is served from the cache (the same object).
  const a = await feeds.allOrSet("http://x/ptg.ics?tracks=nova");
  assert.equal(await feeds.allOrSet("http://x/ptg.ics?tracks=NOVA"), a);
});
