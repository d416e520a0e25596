/**
 * VTIMEZONE components (RFC 5545 §3.6.5) written from the runtime's own
 * time-zone data: the zone's transitions in the years a calendar covers,
 * each an observance of its own, so a feed needs no bundled database.
 *
 * @module
 */

/** `+0200`, `-0330`, `+053028` (seconds only when the zone has them). */
function offsetText(ns: number): string {
  const total = Math.round(ns / 1e9);
  const sign = total < 0 ? "-" : "+";
  const abs = Math.abs(total);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
  const ss = abs % 60;
  return `${sign}${hh}${mm}${ss ? String(ss).padStart(2, "0") : ""}`;
}

/** The wall-clock time as DATE-TIME local form: `20270331T020000`. */
function local(p: Temporal.PlainDateTime): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(p.year).padStart(4, "0")}${two(p.month)}${two(p.day)}T${two(p.hour)}${two(p.minute)}${
    two(p.second)
  }`;
}

function observance(kind: "STANDARD" | "DAYLIGHT", start: string, from: number, to: number): string[] {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${offsetText(from)}`,
    `TZOFFSETTO:${offsetText(to)}`,
    `END:${kind}`,
  ];
}

/**
 * The VTIMEZONE of `zone` valid from 1 January of `fromYear` to the end of
 * `toYear`: the offset in force on 1 January, then every transition up to
 * the end of `toYear` (a later offset is DAYLIGHT, an earlier STANDARD).
 * Throws a RangeError for a zone the runtime does not know.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const first = Temporal.PlainDateTime.from({ year: fromYear, month: 1, day: 1 }).toZonedDateTime(zone);
  const end = Temporal.PlainDateTime.from({ year: toYear + 1, month: 1, day: 1 }).toZonedDateTime(zone)
    .epochNanoseconds;
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  let offset = first.offsetNanoseconds;
  lines.push(...observance("STANDARD", local(first.toPlainDateTime()), offset, offset));
  let at: Temporal.ZonedDateTime | null = first;
  // Zones change offset a few times a year at most: the bound only guards against a broken database.
  for (let n = 0; n < 16 * (toYear - fromYear + 1); n++) {
    at = at.getTimeZoneTransition("next");
    if (!at || at.epochNanoseconds >= end) break;
    const to = at.offsetNanoseconds;
    // DTSTART is the wall-clock time the change happens at, read in the offset in force before it.
    const before = at.toInstant().toZonedDateTimeISO("UTC").toPlainDateTime().add({
      nanoseconds: offset,
    });
    lines.push(...observance(to > offset ? "DAYLIGHT" : "STANDARD", local(before), offset, to));
    offset = to;
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
