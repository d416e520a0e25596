// @ts-check
/// <reference lib="dom" />
/**
 * The main page: now (with where and when), the schedule by day, what is
 * next. The day tabs are an ARIA tab widget; updates patch the page in place.
 *
 * @module
 */
import { byId, start } from "./common.js";

const page = start("ptg", {
  afterRender(_state, _view, first) {
    if (first) showCurrentSlot();
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
  },
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
