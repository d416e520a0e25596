/**
 * The pages and `/tracks.css` as served: built from the committed state on
 * the first request after a change, like `ptg.json`, and (pages only) again
 * when the half-minute moves, since they mark the running slot. A rebuild
 * that changes nothing keeps the representation it had, compressed forms
 * included.
 *
 * @module
 */
import type { State } from "../state/model.ts";
import { tracksCss } from "../state/colors.ts";
import { pageHtml } from "./pages.ts";
import { Representation, STATE_CACHE } from "./representation.ts";

const HTML = "text/html; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const TICK_MS = 30_000;

/** What the pages are built from. */
export interface PageSource {
  state(): State;
  version(): number;
  etherpadBase: string;
  timeZone: string;
  /** The clock (ms since the epoch); the system's by default. */
  now?: () => number;
}

/** Built pages, by path, for the current version and half-minute. */
export class LivePages {
  #source: PageSource;
  #clock: () => number;
  #version = -1;
  #tick = -1;
  #pages = new Map<string, Representation>();
  #previous = new Map<string, Representation>();
  #css: Representation | undefined;

  constructor(source: PageSource) {
    this.#source = source;
    this.#clock = source.now ?? Date.now;
  }

  #fresh(): void {
    const v = this.#source.version();
    if (v !== this.#version) {
      this.#version = v;
      this.#pages = new Map();
      this.#previous = new Map();
      this.#css = undefined;
    }
  }

  /** The page at `path` (one `isPage` accepts). */
  page(path: string): Representation {
    this.#fresh();
    const now = this.#clock();
    const tick = Math.floor(now / TICK_MS);
    if (tick !== this.#tick) {
      this.#tick = tick;
      this.#previous = this.#pages;
      this.#pages = new Map();
    }
    let rep = this.#pages.get(path);
    if (!rep) {
      const s = this.#source;
      const served = { ...s.state(), etherpad_base: s.etherpadBase, timezone: s.timeZone };
      rep = new Representation(HTML, pageHtml(path, served, now), STATE_CACHE);
      const before = this.#previous.get(path);
      if (before?.etag === rep.etag) rep = before;
      this.#pages.set(path, rep);
    }
    return rep;
  }

  /** `/tracks.css`: the badge colours. */
  styles(): Representation {
    this.#fresh();
    if (!this.#css) {
      const state = this.#source.state();
      this.#css = new Representation(CSS, tracksCss(state.tracks, state.colors), STATE_CACHE);
    }
    return this.#css;
  }
}
