/**
 * The pages and `/tracks.css` as served: built from the snapshot on the first
 * request after a change, like `ptg.json`, and (pages only) again when the
 * half-minute moves, since they mark the running slot. A rebuild that changes
 * nothing keeps the representation it had, compressed forms included.
 *
 * @module
 */
import { tracksCss } from "../state/colors.ts";
import { pageHtml } from "./pages.ts";
import { Representation, STATE_CACHE } from "./representation.ts";
import { servedState, type Snapshot } from "./snapshot.ts";
import type { VersionCache } from "./version_cache.ts";

const HTML = "text/html; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const TICK_MS = 30_000;

/** Built pages, by path, for the snapshot's version and the half-minute. */
export class LivePages {
  #snapshot: () => Snapshot;
  #cache: VersionCache<Representation>;
  #clock: () => number;

  /** `now` is the clock (ms since the epoch); the system's by default. */
  constructor(snapshot: () => Snapshot, cache: VersionCache<Representation>, now: () => number = Date.now) {
    this.#snapshot = snapshot;
    this.#cache = cache;
    this.#clock = now;
  }

  /** The page at `path` (one `isPage` accepts). */
  page(path: string): Representation {
    const snap = this.#snapshot();
    const now = this.#clock();
    return this.#cache.take(path, snap.version, (before) => {
      const rep = new Representation(HTML, pageHtml(path, servedState(snap), now), STATE_CACHE);
      return before?.etag === rep.etag ? before : rep;
    }, Math.floor(now / TICK_MS));
  }

  /** `/tracks.css`: the badge colours. */
  styles(): Representation {
    const snap = this.#snapshot();
    return this.#cache.take("/tracks.css", snap.version, () => {
      const { tracks, colors } = snap.state;
      return new Representation(CSS, tracksCss(tracks, colors), STATE_CACHE);
    });
  }
}
