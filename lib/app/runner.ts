/**
 * Runs lines through the engine one at a time and commits each outcome to
 * the store before its replies go out, so an acknowledged change is saved.
 */
import { loadedDocument } from "../engine/admin_commands.ts";
import { runLine } from "../engine/engine.ts";
import type { Context, Outcome, Reply, Speaker } from "../engine/types.ts";
import type { ParsedDocument } from "../state/json.ts";
import type { KvStore } from "../state/kv_store.ts";
import { localTime } from "../state/clock.ts";

/** Loads a `~fetchdb` document. */
export type DocumentFetcher = (url: string) => Promise<ParsedDocument>;

/** The parts of the engine's context that do not change from line to line. */
export type Settings = Omit<Context, "now">;

/** Serialises commands against one store and tells listeners about each commit. */
export class Runner {
  #store: KvStore;
  #settings: Settings;
  #fetch: DocumentFetcher;
  #tail: Promise<unknown> = Promise.resolve();
  #listeners: (() => void)[] = [];
  /** Clock for the engine; tests may replace it. */
  clock: () => Date = () => new Date();

  constructor(store: KvStore, settings: Settings, fetch: DocumentFetcher) {
    this.#store = store;
    this.#settings = settings;
    this.#fetch = fetch;
  }

  get store(): KvStore {
    return this.#store;
  }

  /** Calls `listener` after every commit that changed the state. */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Tells listeners that the snapshot changed (also after a reload from KV). */
  changed(): void {
    for (const l of this.#listeners) l();
  }

  #context(): Context {
    return { ...this.#settings, now: this.clock() };
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => {});
    return run;
  }

  async #commit(compute: () => Outcome | undefined): Promise<Outcome | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = compute();
      if (!outcome || outcome.changes.length === 0) return outcome;
      const ok = await this.#store.commit(
        outcome.changes,
        localTime(this.clock(), this.#settings.timeZone).stamp,
      );
      if (ok) {
        this.changed();
        return outcome;
      }
    }
    return {
      changes: [],
      replies: [{ text: "The state kept changing under this command; please try again" }],
    };
  }

  /**
   * Runs one line and resolves with what to say (replies to the origin, and
   * private notifications with `to`), or undefined for ignored chatter.
   */
  async run(who: Speaker, line: string): Promise<Reply[] | undefined> {
    const outcome = await this.#serial(() =>
      this.#commit(() => runLine(this.#store.state, who, line, this.#context()))
    );
    if (!outcome) return undefined;
    if (outcome.fetch === undefined) return outcome.replies;
    const url = outcome.fetch;
    // The download runs outside the queue so other commands go on meanwhile.
    const loaded = await this.#fetch(url).catch((e): ParsedDocument => ({
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    }));
    const applied = await this.#serial(() =>
      this.#commit(() => loadedDocument(this.#store.state, url, loaded, this.#context()))
    );
    return applied?.replies ?? [];
  }

  /** Waits for every queued command. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
