/**
 * What the web side has built, memoised by name (the path it is served at)
 * and the version of the state it was built from, plus an optional key (the
 * half-minute a page marks). Only the newest version is vouched for: a lookup
 * under another version empties the cache, and a build that ends after the
 * version moved is handed out but not kept. Past `limit` names the least
 * recently used is dropped, so a route keyed by what a client asks for cannot
 * grow it without end.
 *
 * @module
 */

/**
 * Enough for every path a full event serves (pages, per-track calendars and
 * summaries, up to `LIMITS.tracks` each), so none is built twice per version.
 */
export const CACHE_LIMIT = 2_100;

interface Entry<V> {
  key: number;
  value: V;
}

/** Values by name for one version at a time, at most `limit` of them. */
export class VersionCache<V> {
  #limit: number;
  #version = NaN;
  #entries = new Map<string, Entry<V>>();

  constructor(limit = CACHE_LIMIT) {
    if (!(limit >= 1)) throw new RangeError("a cache holds at least one entry");
    this.#limit = limit;
  }

  /** How many values are kept. */
  get size(): number {
    return this.#entries.size;
  }

  #at(version: number): void {
    if (version !== this.#version) {
      this.#version = version;
      this.#entries.clear();
    }
  }

  /** The entry of `name` at `version`, made the most recently used when its key is `key`. */
  #find(name: string, version: number, key: number): Entry<V> | undefined {
    this.#at(version);
    const entry = this.#entries.get(name);
    if (entry?.key === key) {
      // The map's order is the order of use: the first is the least recently used.
      this.#entries.delete(name);
      this.#entries.set(name, entry);
    }
    return entry;
  }

  /** The value kept for `name` at (`version`, `key`), if any. */
  get(name: string, version: number, key = 0): V | undefined {
    const entry = this.#find(name, version, key);
    return entry?.key === key ? entry.value : undefined;
  }

  /** Keeps `value` for `name` at (`version`, `key`), unless the version has moved on; returns it. */
  set(name: string, version: number, value: V, key = 0): V {
    if (version !== this.#version) return value;
    this.#entries.delete(name);
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(name, { key, value });
    return value;
  }

  /**
   * The value for `name` at (`version`, `key`), built when not kept. `build`
   * gets what `name` held at this version under another key, so a rebuild
   * that changed nothing can hand back the value it had.
   */
  take(name: string, version: number, build: (before: V | undefined) => V, key = 0): V {
    const entry = this.#find(name, version, key);
    if (entry?.key === key) return entry.value;
    return this.set(name, version, build(entry?.value), key);
  }
}
