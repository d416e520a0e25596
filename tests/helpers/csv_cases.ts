/** Bad spreadsheet grids, what each is, and the one line that refuses it (unit and end-to-end tests). */
import { parseCsv } from "../../lib/state/csv_grid.ts";

/** The top of a grid in Europe/Paris. */
export const HEAD = "event,TRN\r\ntimezone,Europe/Paris\r\n";

/** [what, the grid, the refusal]. */
export const ERROR_CASES: [string, string, string][] = [
  [
    "an invalid track name",
    HEAD + "room,Mon 2027-04-12 09:00-10:00\r\nHall,nova\r\nCedar,\r\n\r\nAnnex,nova cinder\r\n",
    'B7: "nova cinder" is not a track name (letters, digits, - and _)',
  ],
  ["a bad date", HEAD + "room,Tue 2027-02-30 09:00-10:00\r\nHall,nova\r\n", 'B3: "2027-02-30" is not a date'],
  [
    "a weekday that is not the date's",
    HEAD + "room,Tue 2027-04-12 09:00-10:00\r\nHall,nova\r\n",
    'B3: 2027-04-12 is a Monday, not "Tue"',
  ],
  [
    "a range that ends before it starts",
    HEAD + "room,Mon 2027-04-12 11:00-10:00\r\nHall,nova\r\n",
    'B3: "Mon 2027-04-12 11:00-10:00" ends before it starts',
  ],
  [
    "overlapping slots",
    HEAD + "room,Mon 2027-04-12 09:00-10:30,Mon 2027-04-12 10:00-11:00\r\nHall,nova,nova\r\n",
    'C3: "Mon 2027-04-12 10:00-11:00" overlaps B3 "Mon 2027-04-12 09:00-10:30"',
  ],
  [
    "a duplicate room",
    HEAD + "room,Mon 2027-04-12 09:00-10:00\r\nHall,nova\r\nCedar,\r\nhall,cinder\r\n",
    'A6: room "hall" is already on row 4',
  ],
  [
    "a time the clocks skip",
    HEAD + "room,Sun 2027-03-28 02:15-04:00\r\nHall,nova\r\n",
    "B3: 02:15 does not exist on 2027-03-28 in Europe/Paris (the clocks change)",
  ],
  [
    "an unknown time zone",
    "event,TRN\r\ntimezone,Mars/Olympus\r\nroom,Mon 2027-04-12 09:00-10:00\r\nHall,nova\r\n",
    'B2: "Mars/Olympus" is not an IANA time zone (like Europe/Paris)',
  ],
  [
    "a header that is no slot",
    HEAD + "room,Monday morning\r\nHall,nova\r\n",
    'B3: "Monday morning" is neither a room detail (url, description, icon, capabilities) nor a slot like "Mon 2027-04-12 09:00-10:45"',
  ],
  [
    "a room URL that is not http(s)",
    HEAD + "room,url,Mon 2027-04-12 09:00-10:00\r\nHall,javascript:alert(1),nova\r\n",
    'B4: "javascript:alert(1)" is not an http(s) URL',
  ],
  [
    "a cell beyond the header",
    HEAD + "room,Mon 2027-04-12 09:00-10:00\r\nHall,nova,,cinder\r\n",
    "D4: a cell beyond the header's last column",
  ],
  [
    "a header and no rooms (it would empty the schedule)",
    HEAD + "room,url,Mon 2027-04-12 09:00-10:00\r\n,\r\n\r\n",
    "A4: no room rows after the header",
  ],
  [
    "no event row",
    "timezone,Europe/Paris\r\nroom,Mon 2027-04-12 09:00-10:00\r\nHall,nova\r\n",
    'A1: no "event" row (event,ID)',
  ],
];

/** The same grid as a European spreadsheet saves it: `;` between cells, a BOM, LF lines. */
export function european(text: string): string {
  return "\ufeff" +
    parseCsv(text).map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(";"))
      .join("\n");
}
