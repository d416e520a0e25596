/**
 * Who is in the event channel, with which modes, and what the server said
 * of their services account and when, from the server's events. Whether an
 * account is still to be believed is for `Accounts` to decide.
 *
 * @module
 */

/** One member of the channel. */
export interface Member {
  nick: string;
  modes: Set<string>;
  /** The account the server last named for this member (undefined: none, or nothing said). */
  account?: string;
  /** When the server said it (ms); undefined while it has said nothing since the member came or was renamed. */
  learnt?: number;
  /** The server tells of every change to this member's account (account-notify) while they stay. */
  followed: boolean;
}

const OP_MODES = ["q", "a", "o"];
const VOICE_MODES = ["h", "v"];

/** Members of one channel, keyed by lower-cased nick. */
export class ChannelState {
  #members = new Map<string, Member>();

  /** Replaces the member list (after NAMES): nothing is known of their accounts yet. */
  reset(members: { nick: string; modes?: string[] }[]): void {
    this.#members.clear();
    for (const m of members) this.join(m.nick, m.modes);
  }

  /** Forgets everyone (the bot left the channel or lost its connection, and hears no more of them). */
  clear(): void {
    this.#members.clear();
  }

  join(nick: string, modes: string[] = []): void {
    this.#members.set(nick.toLowerCase(), { nick, modes: new Set(modes), followed: false });
  }

  leave(nick: string): void {
    this.#members.delete(nick.toLowerCase());
  }

  rename(from: string, to: string): void {
    const m = this.#members.get(from.toLowerCase());
    if (!m) return;
    this.#members.delete(from.toLowerCase());
    m.nick = to;
    this.#members.set(to.toLowerCase(), m);
  }

  /** Applies `+o nick` / `-v nick` and the like. */
  mode(change: string, nick: string): void {
    const m = this.#members.get(nick.toLowerCase());
    if (!m || change.length < 2) return;
    if (change[0] === "+") m.modes.add(change[1]);
    else m.modes.delete(change[1]);
  }

  /** Records what the server said of a member's account at `at`; `followed` once account-notify covers them. */
  learnAccount(nick: string, account: string | undefined, at: number, followed: boolean): void {
    const m = this.#members.get(nick.toLowerCase());
    if (!m) return;
    m.account = account || undefined;
    m.learnt = at;
    m.followed ||= followed;
  }

  /** Forgets what was said of a member's account (and that the server follows it). */
  forgetAccount(nick: string): void {
    const m = this.#members.get(nick.toLowerCase());
    if (!m) return;
    m.account = undefined;
    m.learnt = undefined;
    m.followed = false;
  }

  get(nick: string): Readonly<Member> | undefined {
    return this.#members.get(nick.toLowerCase());
  }

  /** Every member, in no particular order. */
  members(): Iterable<Readonly<Member>> {
    return this.#members.values();
  }

  isOp(nick: string): boolean {
    const m = this.get(nick);
    return !!m && OP_MODES.some((x) => m.modes.has(x));
  }

  isVoiced(nick: string): boolean {
    const m = this.get(nick);
    return !!m && VOICE_MODES.some((x) => m.modes.has(x));
  }

  get size(): number {
    return this.#members.size;
  }
}
