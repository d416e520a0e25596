/**
 * Runs lines through the engine in arrival order and commits their
 * outcomes before any reply goes out, so an acknowledged change is saved.
 * Lines that arrive while a commit is under way are run together and saved
 * in one atomic commit (group commit): each still sees the ones before it,
 * and none is acknowledged before all of them are on disk.
 */
import { loadedDocument } from "../engine/admin_commands.ts";
import { runLine } from "../engine/engine.ts";
import type { Classified } from "../engine/parse.ts";
import { stamp as stampOf } from "../engine/util.ts";
import {
  type Context,
  type LineRunner,
  type Outcome,
  refuse,
  type Reply,
  type Speaker,
} from "../engine/types.ts";
import type { ParsedDocument } from "../state/document.ts";
import type { KvStore } from "../storage/store.ts";
import { type Change, Draft, type State } from "../state/model.ts";
import { errorDetail, errorText } from "../util/errors.ts";
import { guard } from "../util/boundary.ts";

/** Loads a `~fetchdb` document. */
type DocumentFetcher = (url: string) => Promise<ParsedDocument>;

/** The parts of the engine's context that do not change from line to line. */
export type Settings = Omit<Context, "now">;

/** The reply when the store cannot save (a full disk, a read-only directory). */
export const NOT_SAVED =
  "Sorry, that could not be saved (storage problem); nothing changed. Try again shortly";

interface Job {
  compute(state: State, ctx: Context): Outcome | undefined;
  resolve(outcome: Outcome | undefined): void;
  reject(error: unknown): void;
}

/** A job whose computation threw: the error goes back to its caller alone. */
class Failed {
  constructor(readonly error: unknown) {}
}

/** What the runner reports as it works. */
export interface RunObserver {
  /** A command ran: its word and whether its answer was a refusal. */
  command(kind: string, refused: boolean): void;
  /** A commit to the store took `seconds`; `ok` unless it failed. */
  commit(seconds: number, ok: boolean): void;
}

/** Most commands saved in one commit. */
const BATCH = 64;

/** Serialises commands against one store and tells listeners about each commit. */
export class Runner implements LineRunner {
  #store: KvStore;
  #settings: Settings;
  #fetch: DocumentFetcher;
  #jobs: Job[] = [];
  #working: Promise<void> | undefined;
  #listeners: (() => void)[] = [];
  #log: (line: string) => void;
  /** Clock for the engine; tests may replace it. */
  clock: () => Date = () => new Date();
  /** Told of every command run and every commit made (for /metrics). */
  observer?: RunObserver;

  constructor(
    store: KvStore,
    settings: Settings,
    fetch: DocumentFetcher,
    log: (line: string) => void = (l) => console.error(l),
  ) {
    this.#store = store;
    this.#settings = settings;
    this.#fetch = fetch;
    this.#log = log;
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
    // A listener's bug is logged; the commit it follows stands, and the other listeners still hear of it.
    for (const l of this.#listeners) guard("runner: a change listener", l, this.#log);
  }

  #submit(compute: Job["compute"]): Promise<Outcome | undefined> {
    return new Promise((resolve, reject) => {
      this.#jobs.push({ compute, resolve, reject });
      this.#working ??= this.#work().finally(() => (this.#working = undefined));
    });
  }

  async #work(): Promise<void> {
    while (this.#jobs.length) {
      const batch = this.#jobs.splice(0, BATCH);
      let outcomes: (Outcome | Failed | undefined)[];
      try {
        outcomes = await this.#runBatch(batch);
      } catch (e) {
        // A broken commit path: nothing of this batch is acknowledged, and the
        // served snapshot was never touched.
        outcomes = batch.map(() => new Failed(e));
      }
      batch.forEach((job, i) => {
        const out = outcomes[i];
        if (out instanceof Failed) job.reject(out.error);
        else job.resolve(out);
      });
    }
  }

  async #runBatch(batch: Job[]): Promise<(Outcome | Failed | undefined)[]> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock();
      const ctx: Context = { ...this.#settings, now };
      const stamp = stampOf(ctx);
      // Commands compute on a draft; what is served stays the committed state until KV holds the batch.
      const draft = new Draft(this.#store.state);
      const changes: Change[] = [];
      const outcomes = batch.map((job): Outcome | Failed | undefined => {
        let out: Outcome | undefined;
        try {
          out = job.compute(draft.state, ctx);
        } catch (e) {
          // One command's bug fails that command alone.
          return new Failed(e);
        }
        if (out?.changes.length) {
          // Later commands of the batch see this one's effect.
          draft.apply(out.changes, stamp);
          changes.push(...out.changes);
        }
        return out;
      });
      if (!changes.length) return outcomes;
      const started = performance.now();
      try {
        const committed = await this.#store.commitState(changes, stamp, draft.state);
        this.observer?.commit((performance.now() - started) / 1000, true);
        if (committed) {
          this.changed();
          return outcomes;
        }
      } catch (e) {
        this.observer?.commit((performance.now() - started) / 1000, false);
        this.#log(`kv: commit failed: ${errorDetail(e)}`);
        return outcomes.map((o) => o && !(o instanceof Failed) && o.changes.length ? refuse(NOT_SAVED) : o);
      }
      // Another process committed first; the store reloaded: run the batch again.
      this.changed();
    }
    return batch.map(() => refuse("The state kept changing under this command; please try again"));
  }

  /**
   * Runs one line and resolves with what to say (replies to the origin, and
   * private notifications with `to`), or undefined for ignored chatter. A
   * line the transport read already (`classifyLine`) is run as read.
   */
  async run(who: Speaker, line: string | Classified): Promise<Reply[] | undefined> {
    const outcome = await this.#submit((state, ctx) => runLine(state, who, line, ctx));
    if (!outcome) return undefined;
    const kind = outcome.command ?? "other";
    if (outcome.fetch === undefined) {
      this.observer?.command(kind, outcome.replies.some((r) => r.refusal));
      return outcome.replies;
    }
    const url = outcome.fetch;
    // The download runs outside the queue so other commands go on meanwhile.
    const loaded = await this.#fetch(url).catch((e): ParsedDocument => ({
      ok: false,
      error: errorText(e),
    }));
    const applied = await this.#submit((state, ctx) => loadedDocument(state, url, loaded, ctx));
    this.observer?.command(kind, applied?.replies.some((r) => r.refusal) ?? false);
    return applied?.replies ?? [];
  }

  /** Waits for every queued command. */
  async idle(): Promise<void> {
    while (this.#working) await this.#working;
  }
}
