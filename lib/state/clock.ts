/** Wall-clock helpers: the event's day and the state's timestamp format. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const UTC_NAMES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu"]);

/** The weekday name ("Monday") and `YYYY-MM-DD HH:MM:SS` of a moment in a time zone. */
export function localTime(date: Date, timeZone: string): { weekday: string; stamp: string } {
  if (UTC_NAMES.has(timeZone)) {
    // Servers mostly run in UTC: no need to load the time zone data for it.
    const iso = date.toISOString();
    return { weekday: WEEKDAYS[date.getUTCDay()], stamp: `${iso.slice(0, 10)} ${iso.slice(11, 19)}` };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(date)) parts[p.type] = p.value;
  return {
    weekday: parts.weekday,
    stamp: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

/** True when the name is a time zone the runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The time zone the process runs in: TZ, else the host's zone file, else
 * what the runtime says (which loads the time zone data, a few MiB).
 */
export function systemTimeZone(): string {
  const tz = Deno.env.get("TZ");
  if (tz && !tz.startsWith(":")) return tz;
  try {
    const link = Deno.readLinkSync("/etc/localtime");
    const zone = link.split("/zoneinfo/")[1];
    if (zone) return zone;
  } catch { /* not a link, or no such file */ }
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}
