// @ts-check
/// <reference lib="dom" />
/**
 * The main page: now (with where and when), the schedule by day, what is
 * next. The day tabs are an ARIA tab widget; updates patch the page in place.
 *
 * The attendee's own choices live here, in their browser (localStorage, no
 * login): starred tracks (shown first, and alone when they ask), a search,
 * the zone times are shown in, notifications about their tracks. A service
 * worker keeps the last page and state for when the network drops.
 *
 * @module
 */
import { byId, start, storage, visitorZone } from "./common.js";
import { readStars } from "./mine.js";
import { eventZone, whereOf } from "./where.js";
import { isCurrent } from "./rules.js";
import { slotLabel } from "./labels.js";

/** @typedef {import("./where.js").State} State */

const KEYS = { stars: "ptgbot-stars", only: "ptgbot-only", zone: "ptgbot-zone", notify: "ptgbot-notify" };

let mine = readStars(storage("get", KEYS.stars));
let only = storage("get", KEYS.only) === "yes";
let eventTime = storage("get", KEYS.zone) === "event";
const canNotify = "Notification" in window;
let notify = canNotify && storage("get", KEYS.notify) === "yes" && Notification.permission === "granted";
/** Starred tracks whose slot runs, as of the last pass: a new one has just started. */
let running = new Set();

const search = /** @type {HTMLInputElement} */ (byId("search"));
const status = byId("tools-status");
const say = (/** @type {string} */ text) => {
  status.textContent = text;
};

const page = start("ptg", {
  beforeRender(state, view) {
    view.mine = mine;
    view.only = only;
    view.query = search.value;
    const event = eventZone(state);
    const own = visitorZone();
    view.timeZone = eventTime ? event : own;
    view.alt = eventTime ? { zone: own, name: "your time" } : { zone: event, name: "event time" };
  },
  afterRender(state, view, first) {
    if (first) showCurrentSlot();
    const now = new Set();
    for (const t of mine) {
      const w = whereOf(state, t, view.now);
      if (w.slot && isCurrent(w.slot, view.now)) {
        now.add(`${t}\n${w.slot.name}`);
        if (!first && !running.has(`${t}\n${w.slot.name}`)) {
          notice(t, `#${t} starts`, `${w.place ?? ""} · ${slotLabel(w.slot, view.timeZone)}`);
        }
      }
    }
    running = now;
  },
  changed(before, after) {
    if (!before) return;
    // Tell screen readers (politely) which topics changed.
    const changed = Object.keys(after.now ?? {}).filter((t) =>
      after.now[t] && after.now[t] !== before.now?.[t]
    );
    if (changed.length) {
      byId("now-status").textContent = changed.map((t) => `#${t} now: ${after.now[t]}`).join(". ");
    }
    for (const t of changed) if (mine.includes(t)) notice(t, `#${t} now`, String(after.now[t]));
  },
});

/**
 * A browser notification about a starred track, when the visitor asked for
 * them (through the service worker where there is one: phones allow no other).
 * @param {string} track
 * @param {string} title
 * @param {string} body
 */
async function notice(track, title, body) {
  if (!notify || Notification.permission !== "granted") return;
  const options = { body, tag: `ptgbot-${track}`, icon: "assets/icon.svg" };
  try {
    // The worker's registration once it is active: showNotification refuses one still installing.
    const reg = navigator.serviceWorker?.controller ? await navigator.serviceWorker.ready : undefined;
    if (reg) await reg.showNotification(title, options);
    else new Notification(title, options);
  } catch (e) {
    // Not shown; the page shows the change anyway.
    console.warn("notification not shown:", e);
  }
}

/** Shows the choices' buttons as they are. */
function pressed() {
  byId("only-mine").setAttribute("aria-pressed", String(only));
  byId("zone-toggle").setAttribute("aria-pressed", String(eventTime));
  const bell = byId("notify-toggle");
  bell.hidden = !canNotify;
  bell.setAttribute("aria-pressed", String(notify));
}

byId("mine-section").hidden = false;
pressed();

document.addEventListener("click", async (e) => {
  const target = e.target instanceof Element ? e.target.closest("button") : null;
  if (!target) return;
  const track = target.getAttribute("data-star");
  if (track) {
    mine = mine.includes(track)
      ? mine.filter((t) => t !== track)
      : readStars(JSON.stringify([...mine, track]));
    storage("set", KEYS.stars, JSON.stringify(mine));
    say(mine.includes(track) ? `#${track} starred` : `#${track} unstarred`);
  } else if (target.id === "only-mine") {
    only = !only;
    storage("set", KEYS.only, only ? "yes" : "no");
    say(only ? "Showing only your tracks" : "Showing every track");
  } else if (target.id === "zone-toggle") {
    eventTime = !eventTime;
    storage("set", KEYS.zone, eventTime ? "event" : "mine");
    say(eventTime ? "Times in the event's zone" : `Times in your zone (${visitorZone()})`);
  } else if (target.id === "notify-toggle") {
    await toggleNotify();
  } else return;
  pressed();
  page.draw();
});

/** Notifications on or off; permission is asked here, on a click, never on load. */
async function toggleNotify() {
  if (notify) {
    notify = false;
  } else if (Notification.permission === "denied") {
    say("Notifications are blocked for this site in the browser's settings");
  } else {
    const answer = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    notify = answer === "granted";
    say(notify ? "You will be notified when your tracks change topic or start" : "Notifications not allowed");
  }
  storage("set", KEYS.notify, notify ? "yes" : "no");
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let counting;
search.addEventListener("input", () => {
  page.draw();
  // Said once typing pauses, not at every key.
  clearTimeout(counting);
  counting = setTimeout(() => {
    const n = document.querySelectorAll("#now li[data-track]").length;
    say(search.value.trim() ? `${n} current ${n === 1 ? "topic matches" : "topics match"}` : "");
  }, 600);
});

/** Scrolls the schedule so the running slot's column (and the chosen day's tab) is in view. */
function showCurrentSlot() {
  const tab = document.querySelector("#days [aria-selected=true]");
  const strip = byId("days");
  if (tab instanceof HTMLElement && strip.scrollWidth > strip.clientWidth) {
    // Sideways only: scrollIntoView could move the whole page down to the tabs.
    strip.scrollLeft = Math.max(0, tab.offsetLeft - strip.offsetLeft - 16);
  }
  const scroller = document.querySelector("#schedule .scroll");
  const cell = scroller?.querySelector("thead th.current");
  if (!scroller || !(cell instanceof HTMLElement)) return;
  const rooms = scroller.querySelector("thead th");
  scroller.scrollLeft = Math.max(0, cell.offsetLeft - (rooms instanceof HTMLElement ? rooms.offsetWidth : 0));
}

/** @param {Element | null} tab */
function choose(tab) {
  if (!(tab instanceof HTMLElement) || !tab.dataset.day) return;
  page.view.day = tab.dataset.day;
  page.draw();
  tab.focus();
  showCurrentSlot();
}

const tabs = byId("days");
tabs.addEventListener(
  "click",
  (e) => choose(e.target instanceof Element ? e.target.closest("[role=tab]") : null),
);
tabs.addEventListener("keydown", (e) => {
  const all = [...tabs.querySelectorAll("[role=tab]")];
  const i = all.findIndex((t) => t === document.activeElement);
  if (i < 0) return;
  /** @type {Record<string, number>} */
  const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 };
  const to = moves[e.key];
  if (to === undefined) return;
  e.preventDefault();
  choose(all[(to + all.length) % all.length]);
});

// The service worker keeps the last page and state for when the network drops. Registered once the page
// has loaded, so it never competes with it; then told what the page loaded before it ran.
if ("serviceWorker" in navigator) {
  addEventListener("load", async () => {
    try {
      await navigator.serviceWorker.register("sw.js");
      const ready = await navigator.serviceWorker.ready;
      const loaded = performance.getEntriesByType("resource").map((r) => r.name);
      ready.active?.postMessage({ keep: [location.href, "ptg.json", ...loaded] });
    } catch {
      // No offline copy; the page works the same online.
    }
  });
}
