// @ts-check
/// <reference lib="dom" />
/**
 * Runs a live page: the page arrives with the state already in its HTML;
 * this follows changes and patches each region of the DOM to match the
 * shared renderer's tree (`patch.js`), touching only what changed, so focus,
 * scroll and selection stay.
 *
 * @module
 */
import { RENDERERS } from "./render.js";
import { patch } from "./patch.js";
import { clock } from "./labels.js";

/**
 * @typedef {import("../lib/shared/where.js").State} State
 * @typedef {import("../lib/shared/where.js").View} View
 * @typedef {{
 *   beforeRender?: (state: State, view: View) => void,
 *   afterRender?: (state: State, view: View, first: boolean) => void,
 *   changed?: (before: State | undefined, after: State) => void,
 * }} Hooks
 */

/**
 * An element the page's HTML always has.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** The visitor's own time zone (slot times are shown on their clock). */
export function visitorZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * Runs a page: renders its regions from the state now, after every change
 * and as the clock moves, patching each region in place.
 * `hooks.beforeRender(state, view)` runs before each pass (to set the view
 * from the page's own choices), `hooks.afterRender(state, view, first)` after.
 * @param {keyof typeof RENDERERS} name
 * @param {Hooks} [hooks]
 */
export function start(name, hooks = {}) {
  const render = RENDERERS[name];
  /** @type {View} */
  const view = { now: Date.now(), timeZone: visitorZone(), day: undefined };
  /** @type {State | undefined} */
  let state;
  let first = true;
  const draw = () => {
    if (!state) return;
    view.now = Date.now();
    hooks.beforeRender?.(state, view);
    const regions = render(state, view);
    for (const [id, children] of Object.entries(regions)) {
      const node = document.getElementById(id);
      if (node) patch(node, children);
    }
    const css = document.getElementById("tracks-css");
    const href = `tracks.css?v=${encodeURIComponent(state.timestamp ?? "")}`;
    if (css && css.getAttribute("href") !== href) css.setAttribute("href", href);
    hooks.afterRender?.(state, view, first);
    first = false;
  };
  live((s) => {
    const before = state;
    state = s;
    draw();
    hooks.changed?.(before, s);
  }, () => view.timeZone);
  // The running slot moves with the clock: patching touches only what moved. A tab
  // coming back from the background catches up at once.
  setInterval(draw, 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") draw();
  });
  return { view, draw, state: () => state };
}

const OFFLINE_KEY = "ptgbot-offline-since";

/**
 * Calls `render(state)` now and after every change: server-sent events tell
 * of a new version; if they fail, it polls ptg.json with If-None-Match.
 * Offline (the network gone, the service worker serving the last state) it
 * says since when; back online it reconnects at once and fetches the state
 * only if the version moved past the last one seen, without a reload.
 * @param {(state: State) => void | Promise<void>} render
 * @param {() => string} [zone] the zone the "offline since" time is shown in
 */
export function live(render, zone = visitorZone) {
  /** @type {string | null} */
  let etag = null;
  /** @type {string | null} */
  let version = null;
  /** @type {ReturnType<typeof setInterval> | null} */
  let polling = null;
  /** @type {EventSource | null} */
  let stream = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let retry = null;
  const status = document.getElementById("live-status");
  const note = document.getElementById("offline-note");
  const setStatus = (/** @type {string} */ text) => {
    if (status && status.textContent !== text) status.textContent = text;
  };

  /** When the page lost the network, remembered across reloads until it is back. */
  function offlineSince() {
    let since = Number(storage("get", OFFLINE_KEY));
    if (!since) {
      since = Date.now();
      storage("set", OFFLINE_KEY, String(since));
    }
    return since;
  }
  function offline() {
    const text = `Offline since ${clock(offlineSince(), zone())}: showing the last state`;
    setStatus(text);
    document.body.dataset.offline = "yes";
    if (note) {
      if (note.textContent !== text) note.textContent = text;
      note.hidden = false;
    }
  }
  function online() {
    storage("remove", OFFLINE_KEY);
    delete document.body.dataset.offline;
    if (note) note.hidden = true;
  }

  async function refresh() {
    try {
      const res = await fetch("ptg.json", {
        headers: etag ? { "if-none-match": etag } : {},
        cache: "no-cache",
      });
      const kept = res.headers.get("x-ptgbot-offline") === "1";
      // The stream is back but the state came from the kept copy: the network is only half back yet.
      if (kept && stream?.readyState === EventSource.OPEN) setTimeout(refresh, 1000);
      if (kept) offline();
      else if (document.body.dataset.offline && !stream) online();
      if (res.status === 304) return;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      /** @type {State} */
      const state = await res.json();
      // A kept copy's validator would stop the first answer back online from bringing the new state.
      etag = kept ? null : res.headers.get("etag");
      render(state);
      document.body.dataset.version = version ?? "";
      document.body.dataset.loaded = "yes";
    } catch (e) {
      if (!navigator.onLine || e instanceof TypeError) offline();
      else setStatus(`Update failed (${e instanceof Error ? e.message : String(e)}); retrying`);
    }
  }

  function poll() {
    if (polling) return;
    setStatus("Live updates paused; checking every 10 s");
    polling = setInterval(refresh, 10000);
  }

  function connect() {
    if (!("EventSource" in window)) return poll();
    if (retry) clearTimeout(retry);
    retry = null;
    stream?.close();
    const events = new EventSource("events");
    stream = events;
    let failures = 0;
    events.addEventListener("version", (e) => {
      failures = 0;
      if (polling) {
        clearInterval(polling);
        polling = null;
      }
      online();
      setStatus("Live");
      if (e.data !== version) {
        version = e.data;
        refresh();
      }
    });
    events.addEventListener("reconnect", () => {
      events.close();
      retry = setTimeout(connect, 500 + Math.random() * 1500);
    });
    events.onerror = () => {
      failures++;
      if (!navigator.onLine) offline();
      if (failures >= 3 || events.readyState === EventSource.CLOSED) {
        events.close();
        if (stream === events) stream = null;
        poll();
        retry = setTimeout(connect, 30000);
      }
    };
  }

  addEventListener("offline", () => {
    offline();
    refresh();
  });
  // Back online: the stream again at once; its first event names the version now, and the state is
  // fetched only when that moved past the last one seen.
  addEventListener("online", connect);

  setStatus("Connecting…");
  refresh();
  connect();
}

/**
 * localStorage, when the browser lets the page have it (it can be off).
 * @param {"get" | "set" | "remove"} op
 * @param {string} key
 * @param {string} [value]
 * @returns {string | null}
 */
export function storage(op, key, value) {
  try {
    if (op === "get") return localStorage.getItem(key);
    if (op === "set") localStorage.setItem(key, value ?? "");
    else localStorage.removeItem(key);
  } catch {
    // Not remembered; the page works the same.
  }
  return null;
}
