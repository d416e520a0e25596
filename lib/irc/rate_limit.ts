/** A token bucket per person, so one user flooding commands cannot starve the others. */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number; warned: boolean }>();
  #burst: number;
  #intervalMs: number;

  constructor(burst: number, intervalMs: number) {
    this.#burst = burst;
    this.#intervalMs = intervalMs;
  }

  /**
   * "ok" when the person may go on; "warn" the first time they are over the
   * limit (tell them once); "drop" while they stay over it.
   */
  take(id: string, now = performance.now()): "ok" | "warn" | "drop" {
    let b = this.#buckets.get(id);
    if (!b) {
      if (this.#buckets.size > 10_000) this.#prune(now);
      b = { tokens: this.#burst, at: now, warned: false };
      this.#buckets.set(id, b);
    }
    b.tokens = Math.min(this.#burst, b.tokens + (now - b.at) / this.#intervalMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.warned = false;
      return "ok";
    }
    if (b.warned) return "drop";
    b.warned = true;
    return "warn";
  }

  #prune(now: number): void {
    for (const [id, b] of this.#buckets) {
      if (now - b.at > this.#burst * this.#intervalMs) this.#buckets.delete(id);
    }
  }
}
