/**
 * Every feed over real HTTP, read by two independent parsers: Python's
 * `icalendar` (Debian's python3-icalendar, run by /usr/bin/python3) and
 * node-ical. Both must find the same events, each with a UID, DTSTAMP,
 * SEQUENCE, LAST-MODIFIED, a zone-aware start whose VTIMEZONE is in the
 * feed, the room as LOCATION and the video URL.
 */
import assert from "node:assert/strict";
import ical from "node-ical";
import { createWebApp, serveWeb } from "../../lib/web/server.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { sampleState } from "../helpers/fixtures.ts";

const PYTHON = `
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
assert cal.name == "VCALENDAR", cal.name
assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
out = []
for ev in cal.walk("VEVENT"):
    start = ev.decoded("DTSTART")
    assert start.tzinfo is not None, "floating start"
    tzid = ev["DTSTART"].params.get("TZID")
    assert tzid is None or tzid in zones, "no VTIMEZONE for " + tzid
    stamp = ev.decoded("DTSTAMP")
    assert stamp.utcoffset().total_seconds() == 0, "DTSTAMP not in UTC"
    out.append({
        "uid": str(ev["UID"]),
        "start": start.timestamp(),
        "end": ev.decoded("DTEND").timestamp(),
        "location": str(ev["LOCATION"]),
        "url": str(ev["URL"]) if "URL" in ev else None,
        "sequence": int(ev["SEQUENCE"]),
        "modified": ev.decoded("LAST-MODIFIED").timestamp(),
    })
print(json.dumps(sorted(out, key=lambda e: e["uid"])))
`;
import { OPEN_RESOURCES } from "../helpers/e2e.ts";

type Ev = { uid: string; start: number; end: number; location: string; url: string | null };

async function python(text: string): Promise<(Ev & { sequence: number; modified: number })[]> {
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", PYTHON],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function nodeIcal(text: string): Ev[] {
  type Raw = { type: string; uid: string; start: Date; end: Date; location: string; url?: { val: string } };
  return (Object.values(ical.sync.parseICS(text)) as unknown as Raw[])
    .filter((e) => e.type === "VEVENT")
    .map((e) => ({
      uid: e.uid,
      start: e.start.getTime() / 1000,
      end: e.end.getTime() / 1000,
      location: e.location,
      url: e.url?.val ?? null,
    }))
    .sort((a, b) => a.uid < b.uid ? -1 : 1);
}

Deno.test({
  name: "feeds: every calendar parses the same in Python's icalendar and node-ical; bad sets get a 400",
  ...OPEN_RESOURCES,
  fn: async () => {
    const state = sampleState();
    state.urls.nova = "https://meet.example.org/nova-room";
    let version = 1;
    const committed = {
      state,
      get version() {
        return version;
      },
    };
    const app = createWebApp(
      snapshots(committed, { etherpadBase: "https://pads.example.org/p/", timeZone: "Europe/Paris" }),
      { now: () => Date.parse("2027-04-12T10:00:00Z") },
    );
    const server = serveWeb(app, "127.0.0.1", 0);
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      const seen = new Map<string, number>();
      for (const path of ["/ptg.ics", "/nova.ics", "/ptg.ics?tracks=NOVA,cinder", "/ptg.ics?tracks=swift"]) {
        const res = await fetch(base + path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-type")!, /^text\/calendar/);
        const text = await res.text();
        const [py, js] = [await python(text), nodeIcal(text)];
        assert.ok(py.length > 0, path);
        assert.deepEqual(py.map(({ sequence: _s, modified: _m, ...e }) => e), js, path);
        // The sample's timestamp, 2027-04-11 08:00 in Paris.
        assert.ok(py.every((e) => e.modified === Date.parse("2027-04-11T06:00:00Z") / 1000), path);
        for (const e of py) seen.set(e.uid, e.sequence);
        if (path.includes("nova")) {
          const first = js.find((e) => e.start === Date.parse("2027-04-12T09:00:00Z") / 1000)!;
          assert.equal(first.location, "Ballroom A");
          assert.equal(first.url, "https://meet.example.org/nova-room");
        }
      }
      // A change: same UIDs, a larger SEQUENCE, a later LAST-MODIFIED.
      state.schedule["Ballroom A"].MonA1 = "cinder";
      state.timestamp = "2027-04-12 12:30:00";
      version++;
      const after = await python(await (await fetch(`${base}/ptg.ics?tracks=cinder`)).text());
      const moved = after.find((e) =>
        e.location === "Ballroom A" && e.start === Date.parse("2027-04-12T09:00:00Z") / 1000
      )!;
      assert.ok(seen.has(moved.uid));
      assert.ok(moved.sequence > seen.get(moved.uid)!);
      assert.equal(moved.modified, Date.parse("2027-04-12T10:30:00Z") / 1000);

      for (
        const [path, reason] of [
          ["/ptg.ics?tracks=nova,nosuch", /^unknown track in tracks=: "nosuch"\n$/],
          ["/ptg.ics?tracks=", /^tracks= names no track/],
          [`/ptg.ics?tracks=${"a".repeat(3000)}`, /^tracks= is longer than/],
        ] as const
      ) {
        const res = await fetch(base + path);
        assert.equal(res.status, 400, path);
        assert.match(await res.text(), reason);
      }

      const res = await fetch(`${base}/schedule.json`);
      assert.equal(res.status, 200);
      const doc = await res.json();
      assert.equal(doc.schedule.conference.acronym, "trn_ptg");
    } finally {
      await server.shutdown();
    }
  },
});
