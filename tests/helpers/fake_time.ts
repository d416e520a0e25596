/**
 * A clock and timers that move only when a test says so, for code that takes
 * `now`, `setTimer` and `clearTimer` (the send queue, the per-person queue).
 *
 * @module
 */

/** Lets every promise chain that can move on do so (a macrotask turn, no waiting). */
export const settle = (): Promise<unknown> => new Promise((r) => setTimeout(r, 0));

interface Timer {
  at: number;
  fn: () => void;
}

/** Time at `t` ms; its timers fire when `advance` or `advanceSettled` passes their moment. */
export class FakeTime {
  t = 0;
  #timers = new Map<number, Timer>();
  #ids = 1;
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): number => {
    const id = this.#ids++;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimer = (id: unknown): void => void this.#timers.delete(id as number);

  get pending(): number {
    return this.#timers.size;
  }

  /** Fires the earliest timer due by `end`, time moved to its moment; false when none is due. */
  #fireNext(end: number): boolean {
    let due: [number, Timer] | undefined;
    for (const entry of this.#timers) {
      if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
    }
    if (!due) return false;
    this.#timers.delete(due[0]);
    this.t = due[1].at;
    due[1].fn();
    return true;
  }

  /** Moves time on by `ms`, firing each timer at its moment, earliest first (for code that never awaits). */
  advance(ms: number): void {
    const end = this.t + ms;
    while (this.#fireNext(end));
    this.t = end;
  }

  /** The same, letting promise chains move on before, between and after the timers. */
  async advanceSettled(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    while (this.#fireNext(end)) await settle();
    this.t = end;
    await settle();
  }
}
