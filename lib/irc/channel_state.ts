/** Who is in the event channel, with which modes and services account, from the server's events. */

interface Member {
  nick: string;
  modes: Set<string>;
  account?: string;
}

const OP_MODES = ["q", "a", "o"];
const VOICE_MODES = ["h", "v"];

/** Members of one channel, keyed by lower-cased nick. */
export class ChannelState {
  #members = new Map<string, Member>();

  /** Replaces the member list (after NAMES). */
  reset(members: { nick: string; modes?: string[]; account?: string }[]): void {
    this.#members.clear();
    for (const m of members) this.join(m.nick, m.account, m.modes);
  }

  join(nick: string, account?: string, modes: string[] = []): void {
    this.#members.set(nick.toLowerCase(), { nick, modes: new Set(modes), account: account || undefined });
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

  setAccount(nick: string, account: string | undefined): void {
    const m = this.#members.get(nick.toLowerCase());
    if (m) m.account = account || undefined;
  }

  get(nick: string): Member | undefined {
    return this.#members.get(nick.toLowerCase());
  }

  isOp(nick: string): boolean {
    const m = this.get(nick);
    return !!m && OP_MODES.some((x) => m.modes.has(x));
  }

  isVoiced(nick: string): boolean {
    const m = this.get(nick);
    return !!m && VOICE_MODES.some((x) => m.modes.has(x));
  }

  /** The nick currently using an account, if in the channel. */
  nickOfAccount(account: string): string | undefined {
    const lower = account.toLowerCase();
    for (const m of this.#members.values()) if (m.account?.toLowerCase() === lower) return m.nick;
    return undefined;
  }

  get size(): number {
    return this.#members.size;
  }
}
