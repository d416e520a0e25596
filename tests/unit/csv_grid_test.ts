/** Spreadsheet grids: CSV reading, the document a grid builds, errors naming their cell, and the round trip. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { cellName, gridToDocument, localToUtc, parseCsv, stateToGrid } from "../../lib/state/csv_grid.ts";
import { parseGridDocument } from "../../lib/state/document.ts";
import { completeState, mergeDocument } from "../../lib/state/json.ts";
import { applyChanges, emptyState } from "../../lib/state/model.ts";
import { runLine } from "../../lib/engine/engine.ts";
import { CTX, OP, sampleState } from "../helpers/fixtures.ts";
import { ERROR_CASES, HEAD } from "../helpers/csv_cases.ts";

const PARIS = new URL("../../examples/paris_5x20.csv", import.meta.url);
const EXAMPLE = new URL("../../examples/event.csv", import.meta.url);
/** The Paris grid's document, computed apart from this code (Python's zoneinfo) when the grid was made. */
const EXPECTED = new URL("./data/paris_5x20.expected.json", import.meta.url);

/** A grid's state, as `--import` builds it. */
function imported(text: string, zone: string) {
  const doc = parseGridDocument(text, zone);
  if (!doc.ok) throw new Error(doc.error);
  return completeState(mergeDocument(emptyState(), doc.doc));
}

Deno.test("csv: quoted separators, quotes and line breaks, BOM, CRLF and ; separators", () => {
  assert.deepEqual(parseCsv('a,"b,c","say ""hi""","two\r\nlines"\r\nx,,z\r\n'), [
    ["a", "b,c", 'say "hi"', "two\r\nlines"],
    ["x", "", "z"],
  ]);
  assert.deepEqual(parseCsv('\ufeffevent;TRN;"a;b"\nroom;x'), [["event", "TRN", "a;b"], ["room", "x"]]);
  assert.deepEqual(parseCsv("a\tb\nc\td"), [["a", "b"], ["c", "d"]]);
  assert.deepEqual(parseCsv("a,b"), [["a", "b"]]);
  assert.equal(cellName(0, 0), "A1");
  assert.equal(cellName(6, 2), "C7");
  assert.equal(cellName(9, 26), "AA10");
  assert.equal(cellName(0, 52), "BA1");
});

Deno.test("csv: local times become UTC in the zone, across both changes of the clocks", () => {
  const iso = (t: number | undefined) => t === undefined ? undefined : new Date(t).toISOString();
  assert.equal(iso(localToUtc("2027-03-27", 9 * 60, "Europe/Paris")), "2027-03-27T08:00:00.000Z");
  assert.equal(iso(localToUtc("2027-03-28", 9 * 60, "Europe/Paris")), "2027-03-28T07:00:00.000Z");
  assert.equal(localToUtc("2027-03-28", 2 * 60 + 30, "Europe/Paris"), undefined); // never on the clock
  // 01:30 happens twice on 2027-11-07 in New York: the first one (still EDT) is taken.
  assert.equal(iso(localToUtc("2027-11-07", 90, "America/New_York")), "2027-11-07T05:30:00.000Z");
  assert.equal(iso(localToUtc("2027-11-07", 9 * 60, "America/New_York")), "2027-11-07T14:00:00.000Z");
  assert.equal(iso(localToUtc("2027-03-14", 9 * 60, "America/New_York")), "2027-03-14T13:00:00.000Z");
  assert.equal(iso(localToUtc("2027-04-12", 9 * 60, "UTC")), "2027-04-12T09:00:00.000Z");
});

Deno.test("csv: the 5-day × 20-room Paris grid across the spring change is the expected document", async () => {
  const text = await Deno.readTextFile(PARIS);
  const expected = JSON.parse(await Deno.readTextFile(EXPECTED));
  const grid = gridToDocument(text, "Europe/Paris");
  assert.ok(grid.ok, grid.ok ? "" : grid.errors.join("\n"));
  assert.deepEqual(JSON.parse(JSON.stringify(grid.doc)), expected);
  assert.deepEqual(Object.keys(grid.doc.slots), ["Thursday", "Friday", "Saturday", "Sunday", "Monday"]);
  assert.equal(Object.keys(grid.doc.schedule).length, 20);
  // The night slot spans the change: two hours on the wall, one hour long.
  assert.deepEqual(grid.doc.slots.Sunday[0], {
    name: "SunA1",
    desc: "01:30-03:30",
    realtime: "2027-03-28T00:30:00Z",
    duration: 60,
  });
  assert.equal(grid.doc.slots.Saturday[0].realtime, "2027-03-27T08:00:00Z");
  assert.equal(grid.doc.slots.Monday[0].realtime, "2027-03-29T07:00:00Z");
  const state = imported(text, "Europe/Paris");
  assert.ok(state.tracks.includes("nova") && state.tracks.includes("tc"));
  assert.ok(state.colors.nova);
});

Deno.test("csv: the same grid with ; separators, a BOM, LF lines and # before tracks reads the same", async () => {
  const text = await Deno.readTextFile(PARIS);
  const rows = parseCsv(text);
  const european = "\ufeff" + rows.map((r, i) =>
    r.map((c) => {
      const v = i > 2 && /^[a-z]+$/.test(c) && !c.startsWith("http") ? `#${c.toUpperCase()}` : c;
      return /[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    }).join(";")
  ).join("\n");
  assert.deepEqual(gridToDocument(european, "Europe/Paris"), gridToDocument(text, "Europe/Paris"));
});

Deno.test("csv: export then import is identity (Paris 5×20 with DST, the sample event, New York in November)", async () => {
  const paris = await Deno.readTextFile(PARIS);
  const state = imported(paris, "Europe/Paris");
  const out = stateToGrid(state, "Europe/Paris");
  assert.ok(out.ok);
  assert.equal(out.text, paris);
  assert.deepEqual(imported(out.text, "Europe/Paris"), state);

  // The sample event (UTC) as a grid: the example shipped in examples/.
  const sample = sampleState();
  const grid = stateToGrid(sample, "UTC");
  assert.ok(grid.ok);
  assert.equal(grid.text, await Deno.readTextFile(EXAMPLE));
  const back = imported(grid.text, "UTC");
  assert.deepEqual(back.slots, sample.slots);
  assert.deepEqual(back.schedule, sample.schedule);
  assert.equal(back.eventid, sample.eventid);

  const ny = [
    "event,NYC",
    "timezone,America/New_York",
    "room,Sat 2027-11-06 09:00-10:00,Sun 2027-11-07 00:30-02:30,Sun 2027-11-07 09:00-10:00",
    "Hall,nova,,cinder",
  ].join("\r\n") + "\r\n";
  const nyState = imported(ny, "America/New_York");
  assert.deepEqual(nyState.slots.Sunday[0], {
    name: "SunA1",
    desc: "00:30-02:30",
    realtime: "2027-11-07T04:30:00Z",
    duration: 180,
  });
  assert.equal(nyState.slots.Sunday[1].realtime, "2027-11-07T14:00:00Z");
  const nyOut = stateToGrid(nyState, "America/New_York");
  assert.ok(nyOut.ok);
  assert.equal(nyOut.text, ny);
});

Deno.test("csv: a booking made live with the grid's code is in the exported grid", async () => {
  const state = imported(await Deno.readTextFile(PARIS), "Europe/Paris");
  const free = Object.entries(state.schedule["Room 01"]).find(([k, v]) =>
    /^[A-Z][a-z]{2}[ABC]\d$/.test(k) && v === ""
  );
  assert.ok(free);
  const out0 = runLine(state, OP, `#nova book Room 01-${free[0]}`, { ...CTX, timeZone: "Europe/Paris" });
  assert.deepEqual(out0?.replies.map((r) => r.text), [`#nova booked Room 01-${free[0]}`]);
  applyChanges(state, out0!.changes);
  assert.equal(state.schedule["Room 01"][free[0]], "nova");
  state.schedule["Room 01"][free[0]] = "booked-team";
  const out = stateToGrid(state, "Europe/Paris");
  assert.ok(out.ok);
  assert.ok(out.text.split("\r\n")[3].includes("booked-team"));
  assert.equal(imported(out.text, "Europe/Paris").schedule["Room 01"][free[0]], "booked-team");
});

/** The one error a grid gets. */
function errorOf(text: string, zone = "Europe/Paris"): string[] {
  const grid = gridToDocument(text, zone);
  assert.ok(!grid.ok, "the grid should be refused");
  return grid.errors;
}

Deno.test("csv: each error names its cell in one line", () => {
  for (const [what, text, expected] of ERROR_CASES) {
    assert.deepEqual(errorOf(text), [expected], what);
  }
  assert.deepEqual(errorOf(HEAD + "room,Mon 2027-04-12 09:00-10:00\r\nHall,nova\r\n", "UTC"), [
    `B2: the grid is in Europe/Paris but the bot's timezone is UTC (config "timezone")`,
  ]);
  // A header wider than any event: refused before reading its slots.
  const wide = HEAD + "room," + "Mon 2027-04-12 09:00-10:45,".repeat(2000) + "\r\nHall\r\n";
  assert.deepEqual(errorOf(wide), ["BBB3: more than 1405 columns"]);
  // Several problems: each its own line, and the document's refusal says the first and how many more.
  const two = HEAD + "room,Mon 2027-04-12 09:00-10:00\r\nHall,no way\r\nHall,x\r\n";
  assert.deepEqual(errorOf(two), [
    'B4: "no way" is not a track name (letters, digits, - and _)',
    'A5: room "Hall" is already on row 4',
  ]);
  const doc = parseGridDocument(two, "Europe/Paris");
  assert.ok(!doc.ok);
  assert.equal(doc.error, 'B4: "no way" is not a track name (letters, digits, - and _) (and 1 more)');
});

Deno.test("csv: a grid whose slot has no time cannot be exported", () => {
  const state = sampleState();
  delete state.slots.Monday[0].realtime;
  const out = stateToGrid(state, "UTC");
  assert.deepEqual(out, {
    ok: false,
    error: "slot MonA1 of Monday has no time (realtime); only timed events make a grid",
  });
});

Deno.test("csv: any text is refused or read, never thrown on; every error is one short line naming a cell", () => {
  const cell = fc.oneof(
    fc.constantFrom(
      "",
      "nova",
      "Mon 2027-04-12 09:00-10:00",
      "room",
      "event",
      "timezone",
      '"',
      ",",
      ";",
      "\r\n",
    ),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
  );
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 60 }), (cells) => {
      const text = cells.join([",", ";", "\n"][cells.length % 3]);
      for (const prefix of ["", HEAD, `${HEAD}room,`]) {
        const grid = gridToDocument(prefix + text, "Europe/Paris");
        if (grid.ok) continue;
        assert.ok(grid.errors.length >= 1 && grid.errors.length <= 20);
        for (const e of grid.errors) {
          assert.match(e, /^[A-Z]+\d+: /);
          assert.ok(!/[\r\n]/.test(e) && e.length < 400, e);
        }
      }
    }),
    { numRuns: 300 },
  );
});

/** Plain text as a grid's cell holds it: no control characters, trimmed. */
const plain = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, "").trim();
/**
 * Text that tries the writer: what spreadsheets run as formulas, what begins
 * with the apostrophe that disarms them, separators and quotes.
 */
const tricky = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.tuple(
      fc.constantFrom(
        "=",
        "+",
        "-",
        "@",
        "'",
        "''",
        "'=",
        "=1+1",
        "@SUM(A1)",
        "-2",
        ";",
        "a;b",
        '"',
        "\t",
        "x,y",
      ),
      fc.string({ maxLength: Math.max(0, maxLength - 8) }),
    ).map(([a, b]) => a + b),
  ).map(plain);

Deno.test("csv: random grids go out and come back as the same document and the same file", () => {
  const tracks = fc.constantFrom("", "", "nova", "cinder", "qa-team", "x_1");
  const grid = fc.record({
    eventid: tricky(20).filter((s) => s !== ""),
    zone: fc.constantFrom("Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata", "Australia/Lord_Howe"),
    start: fc.integer({ min: 0, max: 364 }),
    days: fc.integer({ min: 1, max: 7 }),
    slots: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 6 }),
    rooms: fc.uniqueArray(tricky(12), { minLength: 1, maxLength: 6, selector: (s) => s.toLowerCase() }),
    cells: fc.array(tracks, { minLength: 42, maxLength: 42 }),
    infos: fc.array(tricky(12), { minLength: 24, maxLength: 24 }),
  });
  fc.assert(
    fc.property(grid, (g) => {
      const names = g.rooms.filter((r) => r !== "");
      fc.pre(names.length > 0 && new Set(names.map((n) => n.toLowerCase())).size === names.length);
      const header = ["room", "url", "description", "icon", "capabilities"];
      for (let d = 0; d < g.days; d++) {
        const day = new Date(Date.UTC(2027, 0, 1 + g.start + d));
        const date = day.toISOString().slice(0, 10);
        const weekday = day.toUTCString().slice(0, 3);
        // Hours 2 and 3 may not exist (or exist twice) on a night the clocks change: slots start on the half hour past 4.
        for (const h of g.slots) {
          header.push(
            `${weekday} ${date} ${String(4 + (h % 19)).padStart(2, "0")}:30-${
              String(4 + (h % 19)).padStart(2, "0")
            }:59`,
          );
        }
      }
      const unique = [...new Set(header)];
      const rows = [["event", g.eventid], ["timezone", g.zone], unique];
      names.forEach((name, i) => {
        rows.push([
          name,
          i % 2 ? "https://meet.example.org/r" : "",
          ...g.infos.slice(i * 3, i * 3 + 3),
          ...unique.slice(5).map((_, j) => g.cells[(i * 7 + j) % 42]),
        ]);
      });
      // Written as docs/csv.md says: a `'` before what a spreadsheet would run or what begins with `'`.
      const text = rows.map((r) =>
        r.map((c) => /^[=+\-@']/.test(c) ? `'${c}` : c)
          .map((c) => /[",;\t\r\n]|^\s|\s$/.test(c) ? `"${c.replaceAll('"', '""')}"` : c).join(",")
      ).join("\r\n");
      const first = gridToDocument(text, g.zone);
      assert.ok(first.ok, first.ok ? "" : first.errors.join("\n"));
      // The names and details come back as they were, apostrophes and formula characters included.
      assert.equal(first.doc.eventid, g.eventid);
      // (Sorted: an object puts names like "0" first, whatever the grid's order.)
      assert.deepEqual(Object.keys(first.doc.schedule).sort(), [...names].sort());
      names.forEach((name, i) => {
        const room = first.doc.schedule[name];
        assert.deepEqual([room.desc, room.cap_icon, room.cap_desc], g.infos.slice(i * 3, i * 3 + 3));
      });
      const state = completeState(mergeDocument(emptyState(), first.doc));
      const out = stateToGrid(state, g.zone);
      assert.ok(out.ok);
      const again = gridToDocument(out.text, g.zone);
      assert.ok(again.ok);
      assert.deepEqual(again.doc, first.doc);
      const twice = stateToGrid(completeState(mergeDocument(emptyState(), again.doc)), g.zone);
      assert.ok(twice.ok);
      assert.equal(twice.text, out.text);
    }),
    { numRuns: 200 },
  );
});

Deno.test("csv: any event id, room name and detail goes out as a grid that reads back exactly, none armed", () => {
  const sample = sampleState();
  const codes = Object.values(sample.slots).flat().map((slot) => slot.name);
  const room = fc.record({ name: tricky(40), desc: tricky(30), cap_icon: tricky(6), cap_desc: tricky(30) });
  const event = fc.record({
    eventid: tricky(64).filter((s) => s !== ""),
    rooms: fc.uniqueArray(room, { minLength: 1, maxLength: 5, selector: (r) => r.name.toLowerCase() }),
  });
  fc.assert(
    fc.property(event, ({ eventid, rooms }) => {
      fc.pre(rooms.every((r) => r.name !== ""));
      const state = sampleState();
      state.eventid = eventid;
      state.schedule = Object.fromEntries(rooms.map(({ name, ...details }, i) => [name, {
        url: "https://meet.example.org/r",
        ...details,
        ...Object.fromEntries(codes.map((code, j) => [code, (i + j) % 3 ? "" : "nova"])),
      }]));
      const out = stateToGrid(state, "UTC");
      assert.ok(out.ok);
      // A spreadsheet runs no cell: none begins with a formula character once unquoted.
      for (const row of parseCsv(out.text)) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
      const back = gridToDocument(out.text, "UTC");
      assert.ok(back.ok, back.ok ? "" : back.errors.join("\n"));
      assert.equal(back.doc.eventid, eventid);
      assert.deepEqual(JSON.parse(JSON.stringify(back.doc.schedule)), state.schedule);
    }),
    { numRuns: 200 },
  );
});

Deno.test("csv: an event id holding ; and cells a spreadsheet would run go out quoted and disarmed", () => {
  const state = sampleState();
  state.eventid = "TRN;2027";
  const { Cedar, Maple, ...rest } = state.schedule;
  state.schedule = { ...rest, "=cmd|' /C calc'!A0": Cedar, "'quoted'": { ...Maple, desc: "+33 1 23; -2" } };
  const out = stateToGrid(state, "UTC");
  assert.ok(out.ok);
  const lines = out.text.split("\r\n");
  assert.equal(lines[0], 'event,"TRN;2027"');
  assert.ok(lines[6].startsWith(`'=cmd|' /C calc'!A0,`), lines[6]);
  assert.ok(lines[7].startsWith(`''quoted',https://meet.example.org/maple,"'+33 1 23; -2",`), lines[7]);
  const back = gridToDocument(out.text, "UTC");
  assert.ok(back.ok, back.ok ? "" : back.errors.join("\n"));
  assert.equal(back.doc.eventid, "TRN;2027");
  assert.deepEqual(Object.keys(back.doc.schedule), Object.keys(state.schedule));
  assert.equal(back.doc.schedule["'quoted'"].desc, "+33 1 23; -2");
  assert.equal(
    stateToGrid(completeState(mergeDocument(emptyState(), back.doc)), "UTC").ok && out.text,
    out.text,
  );
});

Deno.test("csv: a grid written by hand comes back in the export's one form, which is then a fixed point", () => {
  const hand = "\ufeffevent;TRN\ntimezone;UTC\nroom;Mon 2027-04-12 09:00-10:00;Mon 2027-04-12 11:00-12:00\n" +
    "Hall;#tc;NOVA\n Annex ; #Nova ;\n";
  const first = stateToGrid(imported(hand, "UTC"), "UTC");
  assert.ok(first.ok);
  assert.equal(
    first.text,
    "event,TRN\r\ntimezone,UTC\r\nroom,Mon 2027-04-12 09:00-10:00,Mon 2027-04-12 11:00-12:00\r\n" +
      "Hall,tc,nova\r\nAnnex,nova,\r\n",
  );
  const again = stateToGrid(imported(first.text, "UTC"), "UTC");
  assert.ok(again.ok);
  assert.equal(again.text, first.text);
});

Deno.test("csv: every cell error is reported, not only the header's", () => {
  const grid = HEAD + "room,Tue 2027-04-12 09:00-10:00,Mon 2027-04-12 11:00-12:00\r\n" +
    "Hall,nova,no way\r\nhall,cinder,\r\n,qa\r\n";
  assert.deepEqual(errorOf(grid), [
    'B3: 2027-04-12 is a Monday, not "Tue"',
    'C4: "no way" is not a track name (letters, digits, - and _)',
    'A5: room "hall" is already on row 4',
    "A6: a row with cells but no room name",
  ]);
  // A bad event id and a bad zone do not hide the header's and the rooms' problems either.
  const all =
    "event,\r\ntimezone,Mars/Olympus\r\nroom,Mon 2027-04-12 09:00-10:00,Mon 2027-04-12 09:30-10:00\r\n" +
    "Hall,nova nova,x\r\n";
  assert.deepEqual(errorOf(all), [
    'B1: "" is not an event id (1 to 64 characters)',
    'B2: "Mars/Olympus" is not an IANA time zone (like Europe/Paris)',
    'C3: "Mon 2027-04-12 09:30-10:00" overlaps B3 "Mon 2027-04-12 09:00-10:00"',
    'B4: "nova nova" is not a track name (letters, digits, - and _)',
  ]);
  // The list stays bounded: a thousand bad cells give twenty lines.
  const many = HEAD + "room,Mon 2027-04-12 09:00-10:00\r\n" +
    Array.from({ length: 1000 }, (_, i) => `R${i},bad track\r\n`).join("");
  assert.equal(errorOf(many).length, 20);
});
