/**
 * The event's history on the web: `/history.json` (every entry), `/history.html`
 * (per day and track, what was discussed when; rendered here, every text
 * escaped, a topic's links made by the pages' one rule, `richText`) and
 * `/TRACK.md` (the skeleton of a track's summary). Built from the snapshot,
 * once per version, on the first request for each.
 *
 * @module
 */
import type { HistoryEntry } from "../state/history.ts";
import type { State } from "../state/model.ts";
import { isTrackName, isWebUrl } from "../state/validate.ts";
import { WEEKDAYS, zoneOffset } from "../shared/rules.js";
import { escapeHtml, toHtml } from "../shared/vdom.js";
import { richText } from "../shared/pieces.js";
import { framedPage } from "./pages.ts";
import { Representation, STATE_CACHE } from "./representation.ts";
import type { Snapshot } from "./snapshot.ts";
import type { VersionCache } from "./version_cache.ts";

/** One entry placed in the event's zone, with when its track moved on (same day), if it did. */
interface Placed extends HistoryEntry {
  day: string;
  time: string;
  until?: string;
}

const HOUR = 3_600_000;

/**
 * Local day and time of moments in `timeZone`: the zone's offset is looked up
 * once per UTC hour (clocks change on the hour), not once per entry.
 */
function localClock(timeZone: string): (at: string) => { day: string; time: string } {
  const offsets = new Map<number, number>();
  return (at) => {
    const t = Date.parse(at);
    const hour = Math.floor(t / HOUR) * HOUR;
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = zoneOffset(hour, timeZone);
      offsets.set(hour, offset);
    }
    const local = new Date(t + offset);
    const iso = local.toISOString();
    return { day: `${WEEKDAYS[local.getUTCDay()]} ${iso.slice(0, 10)}`, time: iso.slice(11, 16) };
  };
}

/** Entries grouped by local day (in order), then by track (sorted), each in time order. */
export function byDayAndTrack(
  entries: readonly HistoryEntry[],
  timeZone: string,
): Map<string, Map<string, Placed[]>> {
  const days = new Map<string, Map<string, Placed[]>>();
  const clock = localClock(timeZone);
  // Entries come oldest first; a sort keeps that promise for any source.
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const e of sorted) {
    const { day, time } = clock(e.at);
    const tracks = days.get(day) ?? new Map<string, Placed[]>();
    days.set(day, tracks);
    const list = tracks.get(e.track) ?? [];
    tracks.set(e.track, list);
    if (list.length) list[list.length - 1].until = time;
    list.push({ ...e, day, time });
  }
  for (const [day, tracks] of days) {
    days.set(day, new Map([...tracks].sort(([a], [b]) => a.localeCompare(b))));
  }
  return days;
}

/** `/history.json`: the event id, its zone and every entry, oldest first. */
export function historyJson(state: State, timeZone: string, entries: readonly HistoryEntry[]): string {
  return JSON.stringify({ eventid: state.eventid, timezone: timeZone, entries });
}

/** The body of `/history.html`. */
export function historyBody(state: State, timeZone: string, entries: readonly HistoryEntry[]): string {
  const days = byDayAndTrack(entries, timeZone);
  // A room's link is made once, however many entries name it.
  const rooms = new Map<string, string>();
  const roomHtml = (name: string) => {
    let html = rooms.get(name);
    if (html === undefined) {
      const url = state.schedule[name]?.url;
      html = !name
        ? ""
        : url && isWebUrl(url)
        ? ` <a class="room" href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(name)}</a>`
        : ` <span class="room">${escapeHtml(name)}</span>`;
      rooms.set(name, html);
    }
    return html;
  };
  const out = [`<main id="main" class="history" data-entries="${entries.length}">`];
  out.push(
    `  <p class="muted">Every topic a track announced with <code>#TRACK now</code>, per day and track; ` +
      `times in ${escapeHtml(timeZone)}. Each track's summary skeleton is at <code>/TRACK.md</code>.</p>`,
  );
  if (!days.size) out.push('  <p class="empty">Nothing recorded yet.</p>');
  for (const [day, tracks] of [...days].reverse()) {
    out.push(`  <section>`, `    <h2>${escapeHtml(day)}</h2>`);
    for (const [track, list] of tracks) {
      const md = isTrackName(track)
        ? ` <a class="md" href="${escapeHtml(track)}.md">summary skeleton</a>`
        : "";
      out.push(`    <h3>#${escapeHtml(track)}${md}</h3>`, `    <ul class="history">`);
      for (const e of list) {
        const room = roomHtml(e.room);
        const when = e.until && e.until !== e.time ? `${e.time}–${e.until}` : e.time;
        // No moment is given: the history is read long after, so a #track badge links only to the
        // track's own URL, never to the room it happens to be in when the page is built.
        out.push(
          `      <li><time datetime="${escapeHtml(e.at)}">${when}</time>${room} <span class="topic">${
            toHtml(richText(state, e.topic))
          }</span></li>`,
        );
      }
      out.push(`    </ul>`);
    }
    out.push(`  </section>`);
  }
  out.push(`</main>`);
  return out.join("\n");
}

/** `/TRACK.md`: the track's history as the skeleton of its summary, a heading per topic. */
export function trackMarkdown(
  state: State,
  track: string,
  timeZone: string,
  entries: readonly HistoryEntry[],
): string {
  const days = byDayAndTrack(entries.filter((e) => e.track === track), timeZone);
  const event = state.eventid ? ` at ${state.eventid}` : "";
  const lines = [`# #${track}${event}: summary`, ""];
  if (!days.size) lines.push("Nothing was recorded for this track.", "");
  for (const [day, tracks] of days) {
    lines.push(`## ${day}`, "");
    for (const e of tracks.get(track) ?? []) {
      const when = e.until && e.until !== e.time ? `${e.time}–${e.until}` : e.time;
      const room = e.room ? ` (${e.room})` : "";
      // One line per heading: a topic cannot start another Markdown block.
      lines.push(`### ${when} ${e.topic.replace(/[\r\n]+/g, " ")}${room}`, "", "- ", "");
    }
  }
  return lines.join("\n");
}

/**
 * The history's routes: undefined when `path` is not one of them, else the
 * representation to serve (undefined for a track without a history).
 */
export function historyRoutes(
  snapshot: () => Snapshot,
  cache: VersionCache<Representation>,
): (path: string) => Promise<Representation | undefined> | undefined {
  const build = async (path: string, md: RegExpExecArray | null) => {
    const snap = snapshot();
    const cached = cache.get(path, snap.version);
    if (cached) return cached;
    // Only a build waits for the store's queue; what it makes is kept only if the version has not
    // moved meanwhile (the cache refuses it then, and the next request builds again).
    const entries = await snap.history();
    const { state, timeZone } = snap;
    let rep: Representation;
    if (path === "/history.json") {
      rep = new Representation(
        "application/json; charset=utf-8",
        historyJson(state, timeZone, entries),
        STATE_CACHE,
      );
    } else if (path === "/history.html") {
      const body = historyBody(state, timeZone, entries);
      rep = new Representation(
        "text/html; charset=utf-8",
        framedPage({
          path,
          nav: "History",
          title: "What each track discussed",
          heading: "History",
          script: "history.js",
          body,
        }, state.timestamp),
        STATE_CACHE,
      );
    } else {
      const track = md![1];
      const known = state.tracks.includes(track) || entries.some((e) => e.track === track);
      if (!isTrackName(track) || !known) return undefined;
      rep = new Representation(
        "text/markdown; charset=utf-8",
        trackMarkdown(state, track, timeZone, entries),
        STATE_CACHE,
      );
    }
    return cache.set(path, snap.version, rep);
  };
  return (path) => {
    const isPage = path === "/history.html" || path === "/history.json";
    const md = /^\/([^/]+)\.md$/.exec(path);
    if (!isPage && !md) return undefined;
    return build(path, md);
  };
}
