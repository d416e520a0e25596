// Shared by the pages: the page arrives with the state already in its HTML;
// this follows changes and patches the DOM to match the shared renderer's
// tree, touching only what changed, so focus, scroll and selection stay.
import { RENDERERS } from "./render.js";

/** Creates a DOM node from a tree node: text as text, attributes as attributes. */
function create(v) {
  if (typeof v === "string") return document.createTextNode(v);
  const node = document.createElement(v.tag);
  for (const [k, value] of Object.entries(v.attrs)) node.setAttribute(k, value);
  for (const c of v.children) node.append(create(c));
  return node;
}

function patchAttrs(node, attrs) {
  for (const a of [...node.attributes]) if (!(a.name in attrs)) node.removeAttribute(a.name);
  for (const [k, value] of Object.entries(attrs)) {
    if (node.getAttribute(k) !== value) node.setAttribute(k, value);
  }
}

const keyOf = (v) => (typeof v === "string" ? undefined : v.attrs["data-track"]);
const nodeKey = (
  n,
) => (n.nodeType === Node.ELEMENT_NODE ? n.getAttribute("data-track") ?? undefined : undefined);

/**
 * Makes `parent`'s children match `children`, reusing every node whose kind
 * still matches. Children keyed by `data-track` (a track's row) stay the same
 * node when rows come and go around them.
 */
export function patch(parent, children) {
  const wanted = new Set(children.map(keyOf).filter((k) => k !== undefined));
  if (wanted.size) {
    for (const n of [...parent.childNodes]) {
      const k = nodeKey(n);
      if (k !== undefined && !wanted.has(k)) n.remove();
    }
  }
  let i = 0;
  for (const v of children) {
    let cur = parent.childNodes[i];
    const key = keyOf(v);
    if (key !== undefined && cur && nodeKey(cur) !== key) {
      const own = [...parent.childNodes].find((n) => nodeKey(n) === key);
      if (own) {
        parent.insertBefore(own, cur);
        cur = own;
      } else {
        parent.insertBefore(create(v), cur);
        i++;
        continue;
      }
    }
    if (typeof v === "string") {
      if (cur?.nodeType === Node.TEXT_NODE) {
        if (cur.data !== v) cur.data = v;
      } else parent.insertBefore(create(v), cur ?? null);
    } else if (cur?.nodeType === Node.ELEMENT_NODE && cur.localName === v.tag) {
      patchAttrs(cur, v.attrs);
      patch(cur, v.children);
    } else parent.insertBefore(create(v), cur ?? null);
    i++;
  }
  while (parent.childNodes.length > i) parent.lastChild.remove();
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
 */
export function start(name, hooks = {}) {
  const render = RENDERERS[name];
  const view = { now: Date.now(), timeZone: visitorZone(), day: undefined };
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
 */
export function live(render) {
  let etag = null;
  let version = null;
  let polling = null;
  let source = null;
  const status = document.getElementById("live-status");
  const setStatus = (text) => {
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

  setStatus("Connecting…");
  refresh();
  connect();
}
