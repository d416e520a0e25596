/**
 * An event as a spreadsheet grid (CSV): rows of metadata (`event`,
 * `timezone`), a header row of slots (`Mon 2027-04-12 09:00-10:45`), one
 * row per room with track names in its cells. `gridToDocument` builds the
 * event document from such a grid, naming the cell of every problem;
 * `stateToGrid` writes the state back as the same grid. The format is in
 * docs/csv.md.
 *
 * @module
 */
import { isTimeZone, localTime, WEEKDAYS, zoneOffset } from "../shared/rules.js";
import { LIMITS } from "./limits.ts";
import { dict, type Room, type Slot, type State } from "./model.ts";
import { isPlainText, isTrackName, isWebUrl } from "./validate.ts";

/** Room details: their column headers and the room keys they fill, in the order they are written. */
const INFO_COLUMNS = [
  ["url", "url"],
  ["description", "desc"],
  ["icon", "cap_icon"],
  ["capabilities", "cap_desc"],
] as const;

const SLOT_HEADER = /^([A-Za-z]+)\s+(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** Splits CSV text into records: quoted fields may hold the separator, `""` and line breaks. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = detectSeparator(src);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === sep) {
      row.push(field);
      field = "";
    } else if (c === "\r" || c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      if (c === "\r" && src[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The separator of the first line: the most frequent of `,`, `;` and tab outside quotes. */
function detectSeparator(text: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  return Object.keys(counts).reduce((a, b) => (counts[b] > counts[a] ? b : a), ",");
}

/**
 * Cells a spreadsheet would run as a formula (or that hide one behind a tab
 * or CR), and cells that already begin with the apostrophe that disarms them:
 * both are written with one more `'` in front, which reading takes off.
 */
const ARMED = /^[=+\-@\t\r']/;

/** A cell as read from a grid: trimmed, its disarming `'` taken off. */
function readCell(raw: string): string {
  const cell = raw.trim();
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** A cell as written to a grid: disarmed when a spreadsheet would run it (see `ARMED`). */
function writeCell(value: string): string {
  return ARMED.test(value) ? `'${value}` : value;
}

/**
 * Writes one CSV record, ending in CRLF as RFC 4180 says. A field is quoted
 * when it holds a quote, a line break or any separator reading may choose
 * (`,`, `;`, tab: the first line's count picks it), or spaces a reader trims.
 */
function csvLine(fields: readonly string[]): string {
  return fields.map(writeCell).map((f) =>
    /[",;\t\r\n]/.test(f) || /^\s|\s$/.test(f) ? `"${f.replaceAll('"', '""')}"` : f
  ).join(",") + "\r\n";
}

/** A spreadsheet cell name: column letters and row number from 1 (`C7`). */
export function cellName(row: number, col: number): string {
  let letters = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return `${letters}${row + 1}`;
}

/** True when `zone` is an IANA time zone name (no numeric offsets) this runtime knows. */
function isZoneName(zone: string): boolean {
  return /^[A-Za-z0-9_+\-/]+$/.test(zone) && isTimeZone(zone);
}

/** Minutes since midnight of a local `YYYY-MM-DD HH:MM:SS` stamp's time, and its date. */
function stampParts(stamp: string): { date: string; minutes: number } {
  return {
    date: stamp.slice(0, 10),
    minutes: Number(stamp.slice(11, 13)) * 60 + Number(stamp.slice(14, 16)),
  };
}

/**
 * The UTC moment of a local date and time in `zone`: the earlier one when the
 * clock shows it twice (autumn), undefined when it never shows it (spring).
 */
export function localToUtc(date: string, minutes: number, zone: string): number | undefined {
  const [y, m, d] = date.split("-").map(Number);
  const naive = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  // The zone's offset 12 hours either side covers any change of that day.
  const candidates = [-12, 12].map((h) => naive - zoneOffset(naive + h * 3_600_000, zone))
    .filter((t) => {
      const p = stampParts(localTime(t, zone).stamp);
      return p.date === date && p.minutes === minutes;
    });
  return candidates.length ? Math.min(...candidates) : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** A slot column of the header. */
interface SlotColumn {
  col: number;
  cell: string;
  day: string;
  date: string;
  start: number;
  end: number;
  startMinutes: number;
  endMinutes: number;
}

/** The document a grid describes, or every problem found, one line each naming its cell. */
export type GridResult =
  | {
    ok: true;
    doc: { eventid: string; slots: Record<string, Slot[]>; schedule: Record<string, Room> };
    timeZone: string;
  }
  | { ok: false; errors: string[] };

/**
 * Builds the event document of a grid: days in date order named after their
 * weekday, slots in time order coded `Mon` + `A` (starts before 12:00), `B`
 * (before 18:00) or `C` + their rank in that part of the day, `realtime` in
 * UTC from the local time in the grid's zone. `expectZone`, when given, is
 * the bot's zone: a grid in another zone is refused, since "today" and the
 * pages follow the bot's.
 */
export function gridToDocument(text: string, expectZone?: string): GridResult {
  const errors: string[] = [];
  const fail = (row: number, col: number, message: string) => {
    if (errors.length < 20) errors.push(`${cellName(row, col)}: ${message}`);
  };
  const rows = parseCsv(text).map((r) => r.map(readCell));
  const blank = (r: string[]) => r.every((c) => c === "");
  let eventid: string | undefined;
  let timeZone: string | undefined;
  // The zone the grid names, even when refused for not being the bot's: its slots are still read in it.
  let gridZone: string | undefined;
  const metadata = new Set<string>();
  let headerRow = -1;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (blank(row)) continue;
    const key = row[0].toLowerCase();
    if (key === "room") {
      headerRow = r;
      break;
    }
    const extra = row.findIndex((c, i) => i > 1 && c !== "");
    if (extra > 0) fail(r, extra, `${quote(row[extra])}: a metadata row has a name and one value`);
    const value = row[1] ?? "";
    metadata.add(key);
    if (key === "event") {
      if (!value || value.length > LIMITS.eventid || !isPlainText(value)) {
        fail(r, 1, `${quote(value)} is not an event id (1 to ${LIMITS.eventid} characters)`);
      } else eventid = value;
    } else if (key === "timezone") {
      if (!isZoneName(value)) {
        fail(r, 1, `${quote(value)} is not an IANA time zone (like Europe/Paris)`);
        continue;
      }
      gridZone = value;
      if (expectZone !== undefined && value !== expectZone) {
        fail(r, 1, `the grid is in ${value} but the bot's timezone is ${expectZone} (config "timezone")`);
      } else timeZone = value;
    } else {
      fail(r, 0, `${quote(row[0])} is not a metadata row (event, timezone) nor the header (room, …)`);
    }
  }
  if (headerRow < 0) {
    return {
      ok: false,
      errors: [...errors, `A${rows.length + 1}: no header row (its first cell is "room")`],
    };
  }
  if (!metadata.has("event")) fail(0, 0, 'no "event" row (event,ID)');
  if (!metadata.has("timezone")) fail(0, 0, 'no "timezone" row (timezone,Europe/Paris)');
  // Every cell is checked even when an earlier one is wrong, so one reading names every problem; without a
  // zone to read the slots in, UTC (whose clocks never change) still checks their dates, weekdays and order.
  const zone = gridZone ?? "UTC";

  // The header: room details and slots.
  const header = rows[headerRow];
  // Reading a slot's header costs time-zone look-ups: a grid cannot hold more than an event may.
  const named = header.filter((c) => c !== "").length;
  const most = LIMITS.days * LIMITS.slotsPerDay + INFO_COLUMNS.length + 1;
  if (named > most) {
    return { ok: false, errors: [`${cellName(headerRow, most)}: more than ${most} columns`] };
  }
  const used = new Set<number>();
  for (const row of rows.slice(headerRow + 1)) row.forEach((c, i) => c !== "" && used.add(i));
  const info = new Map<number, string>();
  const slots: SlotColumn[] = [];
  for (let col = 1; col < header.length; col++) {
    const cell = header[col];
    if (cell === "") {
      if (used.has(col)) fail(headerRow, col, "a column with cells but no header");
      continue;
    }
    const known = INFO_COLUMNS.find(([name]) => name === cell.toLowerCase());
    if (known) {
      if ([...info.values()].includes(known[1])) fail(headerRow, col, `a second ${quote(cell)} column`);
      else info.set(col, known[1]);
      continue;
    }
    const slot = readSlotHeader(cell, zone);
    if (typeof slot === "string") fail(headerRow, col, slot);
    else slots.push({ col, cell, ...slot });
  }
  if (!slots.length && !errors.length) {
    fail(headerRow, header.length, 'no slot columns (like "Mon 2027-04-12 09:00-10:45")');
  }
  slots.sort((a, b) => a.start - b.start || a.col - b.col);
  for (let i = 1; i < slots.length; i++) {
    const [a, b] = [slots[i - 1], slots[i]];
    if (b.start < a.end) {
      fail(headerRow, b.col, `${quote(b.cell)} overlaps ${cellName(headerRow, a.col)} ${quote(a.cell)}`);
    }
  }
  const days = new Map<string, SlotColumn[]>();
  for (const s of slots) {
    const list = days.get(s.day) ?? [];
    if (list.length && list[0].date !== s.date) {
      fail(headerRow, s.col, `a second ${s.day} (${s.date} after ${list[0].date}): day names must differ`);
    }
    list.push(s);
    days.set(s.day, list);
  }
  if (days.size > LIMITS.days) fail(headerRow, 0, `more than ${LIMITS.days} days`);
  for (const list of days.values()) {
    if (list.length > LIMITS.slotsPerDay) {
      fail(headerRow, list[0].col, `more than ${LIMITS.slotsPerDay} slots that day`);
    }
  }

  // Slot codes: weekday, part of the day, rank.
  const codes = new Map<number, string>();
  const docSlots = dict<Slot[]>();
  for (const [day, list] of days) {
    const ranks: Record<string, number> = { A: 0, B: 0, C: 0 };
    docSlots[day] = list.map((s) => {
      const part = s.startMinutes < 12 * 60 ? "A" : s.startMinutes < 18 * 60 ? "B" : "C";
      const name = `${day.slice(0, 3)}${part}${++ranks[part]}`;
      codes.set(s.col, name);
      return {
        name,
        desc: `${hhmm(s.startMinutes)}-${hhmm(s.endMinutes)}`,
        realtime: new Date(s.start).toISOString().replace(".000Z", "Z"),
        duration: Math.round((s.end - s.start) / 60_000),
      };
    });
  }

  // Rooms.
  const schedule = dict<Room>();
  const seen = new Map<string, number>();
  for (let r = headerRow + 1; r < rows.length; r++) {
    const row = rows[r];
    if (blank(row)) continue;
    const name = row[0];
    if (!name) {
      fail(r, 0, "a row with cells but no room name");
      continue;
    }
    if (name.length > LIMITS.roomKey || !isPlainText(name)) {
      fail(r, 0, `${quote(name)} is not a room name (1 to ${LIMITS.roomKey} plain characters)`);
      continue;
    }
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      fail(r, 0, `room ${quote(name)} is already on row ${first + 1}`);
      continue;
    }
    seen.set(name.toLowerCase(), r);
    const extra = row.findIndex((c, i) => i >= header.length && c !== "");
    if (extra > 0) fail(r, extra, "a cell beyond the header's last column");
    const room = dict<string>();
    for (const s of slots) {
      const cell = (row[s.col] ?? "").replace(/^#/, "").toLowerCase();
      if (cell !== "" && !isTrackName(cell)) {
        fail(r, s.col, `${quote(row[s.col])} is not a track name (letters, digits, - and _)`);
      }
      room[codes.get(s.col)!] = cell;
    }
    for (const [col, key] of info) {
      const value = row[col] ?? "";
      if (value.length > LIMITS.roomValue || !isPlainText(value)) {
        fail(r, col, `at most ${LIMITS.roomValue} characters on one line`);
      } else if (key === "url" && value !== "" && !isWebUrl(value)) {
        fail(r, col, `${quote(value)} is not an http(s) URL`);
      }
      room[key] = value;
    }
    schedule[name] = room;
  }
  if (seen.size > LIMITS.rooms) fail(rows.length - 1, 0, `more than ${LIMITS.rooms} rooms`);
  // A grid of no rooms would replace the schedule with nothing.
  if (rows.slice(headerRow + 1).every(blank)) fail(headerRow + 1, 0, "no room rows after the header");
  if (errors.length) return { ok: false, errors };
  return { ok: true, doc: { eventid: eventid!, slots: docSlots, schedule }, timeZone: timeZone! };
}

/** Reads `Mon 2027-04-12 09:00-10:45`: the slot's day, date and UTC span, or what is wrong. */
function readSlotHeader(
  cell: string,
  zone: string,
): Omit<SlotColumn, "col" | "cell"> | string {
  const m = SLOT_HEADER.exec(cell);
  if (!m) {
    return `${quote(cell)} is neither a room detail (${INFO_COLUMNS.map(([n]) => n).join(", ")}) ` +
      `nor a slot like "Mon 2027-04-12 09:00-10:45"`;
  }
  const [, dayWord, y, mo, d, h1, m1, h2, m2] = m;
  const date = `${y}-${mo}-${d}`;
  const noon = new Date(Date.UTC(+y, +mo - 1, +d, 12));
  if (noon.toISOString().slice(0, 10) !== date) return `${quote(date)} is not a date`;
  const weekday = WEEKDAYS[noon.getUTCDay()];
  const word = dayWord.toLowerCase();
  if (word.length < 3 || !weekday.toLowerCase().startsWith(word)) {
    return `${date} is a ${weekday}, not ${quote(dayWord)}`;
  }
  const startMinutes = +h1 * 60 + +m1;
  const endMinutes = +h2 * 60 + +m2;
  if (+h1 > 23 || +h2 > 23 || +m1 > 59 || +m2 > 59) {
    return `${quote(cell)}: not a time of day (00:00 to 23:59)`;
  }
  if (endMinutes <= startMinutes) return `${quote(cell)} ends before it starts`;
  const start = localToUtc(date, startMinutes, zone);
  const end = localToUtc(date, endMinutes, zone);
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? startMinutes : endMinutes;
    return `${hhmm(missing)} does not exist on ${date} in ${zone} (the clocks change)`;
  }
  return { day: weekday, date, start, end, startMinutes, endMinutes };
}

function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return JSON.stringify(short);
}

/**
 * The state's schedule as a grid in `timeZone`, live bookings included:
 * what `gridToDocument` reads back into the same slots and rooms. Refused
 * (a reason) when a slot has no time or the schedule has no slots.
 */
export function stateToGrid(
  state: State,
  timeZone: string,
): { ok: true; text: string } | { ok: false; error: string } {
  const columns: { code: string; cell: string }[] = [];
  for (const [day, list] of Object.entries(state.slots)) {
    for (const slot of list) {
      if (!slot.realtime || Number.isNaN(Date.parse(slot.realtime))) {
        return {
          ok: false,
          error: `slot ${slot.name} of ${day} has no time (realtime); only timed events make a grid`,
        };
      }
      const start = Date.parse(slot.realtime);
      const from = localTime(start, timeZone);
      const to = stampParts(localTime(start + (slot.duration ?? 60) * 60_000, timeZone).stamp);
      const s = stampParts(from.stamp);
      columns.push({
        code: slot.name,
        cell: `${from.weekday.slice(0, 3)} ${s.date} ${hhmm(s.minutes)}-${hhmm(to.minutes)}`,
      });
    }
  }
  if (!columns.length) return { ok: false, error: "the event has no slots to write as a grid" };
  const rooms = Object.entries(state.schedule);
  const infos = INFO_COLUMNS.filter(([, key]) => rooms.some(([, room]) => key in room));
  let text = csvLine(["event", state.eventid]) + csvLine(["timezone", timeZone]);
  text += csvLine(["room", ...infos.map(([name]) => name), ...columns.map((c) => c.cell)]);
  for (const [name, room] of rooms) {
    text += csvLine([
      name,
      ...infos.map(([, key]) => room[key] ?? ""),
      ...columns.map((c) => room[c.code] ?? ""),
    ]);
  }
  return { ok: true, text };
}
