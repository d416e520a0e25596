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

/**
 * @typedef {import("../lib/shared/where.js").State} State
 * @typedef {import("../lib/shared/where.js").View} View
 * @typedef {{
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
function visitorZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * Runs a page: renders its regions from the state now, after every change
 * and as the clock moves, patching each region in place.
 * `hooks.afterRender(state, view, first)` runs after each pass.
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
  });
  // The running slot moves with the clock: patching touches only what moved. A tab
  // coming back from the background catches up at once.
  setInterval(draw, 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") draw();
  });
  return { view, draw, state: () => state };
}

/**
 * Calls `render(state)` now and after every change: server-sent events tell
 * of a new version; if they fail, it polls ptg.json with If-None-Match.
 * @param {(state: State) => void | Promise<void>} render
 */
export function live(render) {
  /** @type {string | null} */
  let etag = null;
  /** @type {string | null} */
  let version = null;
  /** @type {ReturnType<typeof setInterval> | null} */
  let polling = null;
  const status = document.getElementById("live-status");
  const setStatus = (/** @type {string} */ text) => {
    if (status && status.textContent !== text) status.textContent = text;
  };

  async function refresh() {
    try {
      const res = await fetch("ptg.json", {
        headers: etag ? { "if-none-match": etag } : {},
        cache: "no-cache",
      });
      if (res.status === 304) return;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      /** @type {State} */
      const state = await res.json();
      etag = res.headers.get("etag");
      render(state);
      document.body.dataset.version = version ?? "";
      document.body.dataset.loaded = "yes";
    } catch (e) {
      setStatus(`Update failed (${e instanceof Error ? e.message : String(e)}); retrying`);
    }
  }

  function poll() {
    if (polling) return;
    setStatus("Live updates paused; checking every 10 s");
    polling = setInterval(refresh, 10000);
  }

  function connect() {
    if (!("EventSource" in window)) return poll();
    const events = new EventSource("events");
    let failures = 0;
    events.addEventListener("version", (e) => {
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
    events.addEventListener("reconnect", () => {
      events.close();
      setTimeout(connect, 500 + Math.random() * 1500);
    });
    events.onerror = () => {
      failures++;
      if (failures >= 3 || events.readyState === EventSource.CLOSED) {
        events.close();
        poll();
        setTimeout(connect, 30000);
      }
    };
  }

  setStatus("Connecting…");
  refresh();
  connect();
}
