// Shared by the pages: loading the state, live updates, and safe DOM building.
// Text from the state only ever reaches the page through textContent and
// element properties; URLs are checked before they become links.
import { isCurrent as isCurrentAt, openingDay, slotTimes } from "./rules.js";

export { slotTimes };

/** Creates an element; `props` are set as properties, children appended (strings as text). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("aria-") || key === "role" || key === "scope") node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The URL if it is an absolute http(s) URL, else undefined. */
export function safeUrl(text) {
  if (typeof text !== "string" || text.length > 2000) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A CSS colour the browser itself accepts, else undefined. */
export function safeColor(text) {
  return typeof text === "string" && text.length <= 64 && CSS.supports("color", text) ? text : undefined;
}

/** The room a track is in: its location when that names a room, else where it is booked today. */
export function roomOf(state, track) {
  const loc = state.location?.[track];
  if (loc && state.schedule?.[loc]) return loc;
  const day = shownDay(state);
  for (const slot of state.slots?.[day] ?? []) {
    for (const [room, entries] of Object.entries(state.schedule ?? {})) {
      if (entries[slot.name] === track) return room;
    }
  }
  return undefined;
}

/** Where a track's badge points: the track's URL, else its room's. */
export function trackUrl(state, track) {
  const own = safeUrl(state.urls?.[track]);
  if (own) return own;
  const room = roomOf(state, track);
  return room ? safeUrl(state.schedule[room]?.url) : undefined;
}

/** A track badge: its colour as background, white text, a link when the track has a URL. */
export function badge(state, track) {
  const known = state.tracks?.includes(track);
  const href = known ? trackUrl(state, track) : undefined;
  const node = el(
    href ? "a" : "span",
    { class: "badge", href, title: href ? `Join #${track}` : undefined },
    `#${track}`,
  );
  const color = known ? safeColor(state.colors?.[track]) : undefined;
  if (color) node.style.backgroundColor = color;
  if (!known) node.classList.add("unknown");
  return node;
}

const TOKENS = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]|#[a-z0-9][a-z0-9_-]*)/gi;

/** Text with http(s) links and #track badges made by code; everything else stays text. */
export function richText(state, text) {
  const out = [];
  let last = 0;
  for (const m of String(text).matchAll(TOKENS)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const token = m[0];
    if (token.startsWith("#")) {
      const track = token.slice(1).toLowerCase();
      out.push(state.tracks?.includes(track) ? badge(state, track) : token);
    } else {
      const href = safeUrl(token);
      out.push(
        href ? el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, token) : token,
      );
    }
    last = m.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The event's time zone, as the server serves it with the state. */
export function eventZone(state) {
  return typeof state.timezone === "string" && state.timezone ? state.timezone : "UTC";
}

/** The day the schedule opens on (the shared rule: today, else the next event day, else the last). */
export function shownDay(state, now = new Date()) {
  return openingDay(state.slots ?? {}, now, eventZone(state));
}

/** True while the slot runs. */
export function isCurrent(slot, now = new Date()) {
  return isCurrentAt(slot, now);
}

/** The slot's time as the visitor's clock shows it, else its description. */
export function slotLabel(slot) {
  const t = slotTimes(slot);
  if (!t) return slot.desc ?? "";
  const f = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `${f(t.start)}–${f(t.end)}`;
}

/**
 * A table of rooms by slots: a header cell per slot, a row per room, the
 * running slot's column marked. `head(slot)` fills a slot's header cell,
 * `row(name, room)` a room's header cell, `cell(name, room, slot)` the rest.
 */
export function roomTable({ className, caption, captionClass, slots, rooms, head, row, cell }) {
  const current = (s) => (isCurrent(s) ? "current" : "");
  return el(
    "table",
    { class: className },
    el("caption", { class: captionClass }, caption),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, "Room"),
        slots.map((s) => el("th", { scope: "col", class: current(s), title: s.desc ?? "" }, head(s))),
      ),
    ),
    el(
      "tbody",
      {},
      rooms.map(([name, room]) =>
        el("tr", {}, row(name, room), slots.map((s) => el("td", { class: current(s) }, cell(name, room, s))))
      ),
    ),
  );
}

/** The banners, links clickable. */
export function banners(state) {
  return (state.motd ?? []).map((m) =>
    el("div", {
      class: `banner banner-${["info", "success", "warning", "danger"].includes(m.level) ? m.level : "info"}`,
      role: "status",
    }, richText(state, m.message ?? ""))
  );
}

/** People checked in to each track (by "#track" location), still there. */
export function checkedIn(state) {
  const byTrack = new Map();
  for (const c of Object.values(state.last_check_in ?? {})) {
    if (c.out || typeof c.location !== "string" || !c.location.startsWith("#")) continue;
    const track = c.location.slice(1);
    if (!byTrack.has(track)) byTrack.set(track, []);
    byTrack.get(track).push(c.nick);
  }
  return byTrack;
}

/**
 * Calls `render(state)` now and after every change: server-sent events tell
 * of a new version; if they fail, it polls ptg.json with If-None-Match.
 */
export function live(render) {
  let etag = null;
  let version = null;
  let polling = null;
  let source = null;
  const status = document.getElementById("live-status");
  const setStatus = (text) => {
    if (status) status.textContent = text;
  };

  async function refresh() {
    try {
      const res = await fetch("ptg.json", {
        headers: etag ? { "if-none-match": etag } : {},
        cache: "no-cache",
      });
      if (res.status === 304) return;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const state = await res.json();
      etag = res.headers.get("etag");
      render(state);
      document.body.dataset.version = version ?? "";
      document.body.dataset.loaded = "yes";
    } catch (e) {
      setStatus(`Update failed (${e.message}); retrying`);
    }
  }

  function poll() {
    if (polling) return;
    setStatus("Live updates paused; checking every 10 s");
    polling = setInterval(refresh, 10000);
  }

  function connect() {
    if (!("EventSource" in window)) return poll();
    source = new EventSource("events");
    let failures = 0;
    source.addEventListener("version", (e) => {
      failures = 0;
      if (polling) {
        clearInterval(polling);
        polling = null;
      }
      setStatus("Live");
      if (e.data !== version) {
        version = e.data;
        refresh();
      }
    });
    source.addEventListener("reconnect", () => {
      source.close();
      setTimeout(connect, 500 + Math.random() * 1500);
    });
    source.onerror = () => {
      failures++;
      if (failures >= 3 || source.readyState === EventSource.CLOSED) {
        source.close();
        poll();
        setTimeout(connect, 30000);
      }
    };
  }

  refresh();
  connect();
}
