/**
 * Leadership between processes sharing one KV file: only the holder of the
 * lease is on IRC. The lease is a KV record with an owner and an expiry,
 * taken and renewed with atomic checks, given up on a clean stop, and taken
 * over by another process once it expires after a crash. A restart may ask
 * for the lease to go to one process (`requestHandOver`): until that request
 * expires or is withdrawn, the holder steps aside (it leaves IRC, then gives
 * the lease up) and no other process takes it; if the chosen one fails, the
 * restart withdraws the request and the old holder takes the lease back.
 */
import { retryLocked } from "./kv.ts";
import { errorText } from "../util/errors.ts";

const KEY: Deno.KvKey = ["ptg", "lease"];
const HAND_OVER: Deno.KvKey = ["ptg", "lease_hand_over"];

/** The start of the owner string of process `pid` on this host (owners are `host:pid:random`). */
export function ownerPrefix(pid: number): string {
  return `${Deno.hostname()}:${pid}:`;
}

/**
 * Asks that only an owner starting with `to` (see ownerPrefix) hold the
 * lease until `until` (ms since the epoch).
 */
export async function requestHandOver(kv: Deno.Kv, to: string, until: number): Promise<void> {
  await retryLocked(() => kv.set(HAND_OVER, { to, until }));
}

/** Withdraws a hand-over request: any process may take the lease again. */
export async function withdrawHandOver(kv: Deno.Kv): Promise<void> {
  await retryLocked(() => kv.delete(HAND_OVER));
}

interface HandOver {
  to: string;
  until: number;
}

interface Record {
  owner: string;
  expires: number;
}

/** Callbacks for gaining and losing the lease. */
interface LeaseEvents {
  gained(): void;
  /** Leaving IRC; a lease stepped aside from is given up only once it resolves. */
  lost(): void | Promise<void>;
}

/** Holds, renews and gives up the lease; polls for it while another process holds it. */
export class Lease {
  #kv: Deno.Kv;
  #owner: string;
  #ttlMs: number;
  #pollMs: number;
  #held = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #events: LeaseEvents;
  #stopped = false;
  #holder: string | undefined;

  constructor(
    kv: Deno.Kv,
    owner: string,
    events: LeaseEvents,
    opts: { ttlMs?: number; pollMs?: number } = {},
  ) {
    this.#kv = kv;
    this.#owner = owner;
    this.#events = events;
    this.#ttlMs = opts.ttlMs ?? 5000;
    this.#pollMs = opts.pollMs ?? 250;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Who held the lease when this process last looked (its owner string), if anyone. */
  get holder(): string | undefined {
    return this.#held ? this.#owner : this.#holder;
  }

  /** Starts trying to take the lease, and keeps it or waits for it. */
  start(): void {
    this.#stopped = false;
    void this.#tick();
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      const had = this.#held;
      const claim = await this.#claim();
      if (claim === "step aside") {
        this.#held = false;
        await this.#events.lost();
        await this.#giveUp();
        if (!this.#stopped) this.#timer = setTimeout(() => this.#tick(), this.#pollMs);
        return;
      }
      this.#held = claim;
      if (this.#held && !had) this.#events.gained();
      if (!this.#held && had) this.#events.lost();
    } catch (e) {
      // KV trouble: keep what we have until the lease would expire anyway.
      console.error(`lease: ${errorText(e)}`);
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#tick(), this.#held ? this.#ttlMs / 3 : this.#pollMs);
  }

  /**
   * Takes or renews the lease; true when this process holds it afterwards,
   * "step aside" when it holds it but a hand-over to another is asked for.
   */
  async #claim(): Promise<boolean | "step aside"> {
    const now = Date.now();
    const [current, asked] = await retryLocked(() => this.#kv.getMany<[Record, HandOver]>([KEY, HAND_OVER]));
    const v = current.value;
    this.#holder = v && v.expires > now ? v.owner : undefined;
    const handOver = asked.value;
    if (handOver && handOver.until > now && !this.#owner.startsWith(handOver.to)) {
      return this.#held ? "step aside" : false;
    }
    if (v && v.owner !== this.#owner && v.expires > now) return false;
    const res = await retryLocked(() =>
      this.#kv.atomic().check(current).set(KEY, { owner: this.#owner, expires: now + this.#ttlMs }).commit()
    );
    return res.ok;
  }

  /**
   * The lease's record as a check for an atomic commit, when this process
   * holds it and it has not expired; undefined otherwise. A commit carrying
   * it fails if the lease was renewed, taken or given up meanwhile, so work
   * only the leader may do is never done by two processes.
   */
  async heldCheck(): Promise<Deno.AtomicCheck | undefined> {
    if (!this.#held) return undefined;
    const current = await retryLocked(() => this.#kv.get<Record>(KEY));
    const v = current.value;
    if (!v || v.owner !== this.#owner || v.expires <= Date.now()) return undefined;
    return current;
  }

  /** Stops renewing and gives the lease up, so another process can take it at once. */
  async release(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (!this.#held) return;
    this.#held = false;
    await this.#giveUp();
  }

  /** Deletes the lease record if it is still this process's. */
  async #giveUp(): Promise<void> {
    const current = await retryLocked(() => this.#kv.get<Record>(KEY));
    if (current.value?.owner === this.#owner) {
      await retryLocked(() => this.#kv.atomic().check(current).delete(KEY).commit());
    }
  }
}
