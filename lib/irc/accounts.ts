/**
 * Whose services account is whose, on networks with and without IRCv3's
 * account extensions: the `account` tag on a message where the server sends
 * it; else what the channel state knows, learnt by WHOX on joining
 * (`WHO #chan %tna,TOKEN`) or from `extended-join`, and kept current by
 * `account-notify`; else one WHOIS (330, or 307 for networks that only mark
 * a nick as identified) per nick.
 *
 * An account is believed only while it is current. A nick can change hands
 * unseen: someone who left the channel quits without the bot hearing of it,
 * and a stranger takes the nick. So what was learnt about a nick is dropped
 * when the bot sees it part, be kicked, quit, change nick or join, and
 * whatever the server does not keep current (a WHOIS answer, WHOX or
 * extended-join without account-notify) is believed for `ACCOUNT_TTL_MS`
 * at most.
 *
 * @module
 */
import type { ChannelState, Member } from "./channel_state.ts";
import type { IrcCaps, IrcClient, IrcNetwork } from "./client_types.ts";
import { guarded, type Log } from "../util/boundary.ts";

/** The part of the client that lookups use: WHOIS, WHO, and what the server offers. */
export type AccountsClient = Pick<IrcClient, "whois" | "raw"> & {
  network?: Pick<IrcNetwork, "supports"> & { cap?: Pick<IrcCaps, "isEnabled"> };
};

/** Our WHOX token, to tell our replies from anyone else's. */
const TOKEN = "713";
/** How long a WHOIS may take before the person counts as not identified. */
const WHOIS_MS = 10_000;
/**
 * How long an account the server does not keep current is believed: long
 * enough that a burst of lines costs one WHOIS, short enough that a nick
 * seen only in private messages, whose quit the bot never hears of, is
 * asked about again before long.
 */
export const ACCOUNT_TTL_MS = 60_000;
/**
 * How long "not logged in" is believed: short, so that someone who
 * identifies after being told to is recognised moments later.
 */
const NOT_LOGGED_IN_MS = 10_000;
/** WHOIS answers kept at most (one per nick); past it the oldest go first. */
export const MAX_ANSWERS = 2000;

/** One server line's numeric and parameters, for the few numerics irc-framework does not hand over as we need. */
export function numericParams(line: string): { numeric: string; params: string[] } | undefined {
  const m = /^(?:@\S+ )?:\S+ (\d{3}) (.*?)\r?\n?$/.exec(line);
  if (!m) return undefined;
  const rest = m[2];
  const colon = rest.indexOf(" :");
  const params = (colon >= 0 ? rest.slice(0, colon) : rest).split(" ").filter(Boolean);
  if (colon >= 0) params.push(rest.slice(colon + 2));
  else if (rest.startsWith(":")) params.splice(0, params.length, rest.slice(1));
  return { numeric: m[1], params };
}

/** What one WHOIS said of a nick, and until when it is believed. */
interface Answer {
  account: string | undefined;
  until: number;
}

/** A WHOIS on its way; `stale` once its nick was seen to change hands before the answer came. */
interface Asking {
  answer: Promise<string | undefined>;
  stale: boolean;
}

/** Options for tests: the clock, and how long an account is believed. */
export interface AccountsOptions {
  now?: () => number;
  ttlMs?: number;
}

/** Account lookups for one connection. */
export class Accounts {
  #client: AccountsClient;
  #members: ChannelState;
  /** WHOIS answers by lower-cased nick, oldest first. */
  #answers = new Map<string, Answer>();
  #asking = new Map<string, Asking>();
  /** Sends a query to the server when the outgoing budget allows (the send queue). */
  #paced: (send: () => void) => void;
  #now: () => number;
  #ttl: number;
  #log: Log | undefined;

  constructor(
    client: AccountsClient,
    members: ChannelState,
    paced: (send: () => void) => void = (send) => send(),
    options: AccountsOptions = {},
    log?: Log,
  ) {
    this.#log = log;
    this.#client = client;
    this.#members = members;
    this.#paced = paced;
    this.#now = options.now ?? Date.now;
    this.#ttl = options.ttlMs ?? ACCOUNT_TTL_MS;
  }

  #cap(name: string): boolean {
    return !!this.#client.network?.cap?.isEnabled(name);
  }

  /** After the channel's NAMES: ask who is logged in as whom, where WHOX exists. */
  namesReceived(channel: string): void {
    if (this.#client.network?.supports("WHOX")) {
      this.#paced(() => this.#client.raw(`WHO ${channel} %tna,${TOKEN}`));
    }
  }

  /** A server line (irc-framework's `raw` event). */
  serverLine(line: string): void {
    if (!line.includes(` 354 `)) return;
    const p = numericParams(line);
    if (p?.numeric !== "354" || p.params[1] !== TOKEN || p.params.length < 4) return;
    const [, , nick, account] = p.params;
    this.#members.learnAccount(
      nick,
      account === "0" ? undefined : account,
      this.#now(),
      this.#cap("account-notify"),
    );
  }

  /**
   * Someone joined (the channel state has them already); `account` is what
   * extended-join said (false: none), undefined without it.
   */
  joined(nick: string, account: string | false | undefined): void {
    this.#drop(nick);
    if (account !== undefined) {
      this.#members.learnAccount(nick, account || undefined, this.#now(), this.#cap("account-notify"));
    }
  }

  /** account-notify: `nick` logged in to `account`, or out (undefined). */
  changed(nick: string, account: string | undefined): void {
    this.#drop(nick);
    this.#members.learnAccount(nick, account, this.#now(), true);
  }

  /** `from` is now `to` (the channel state has renamed them already). */
  renamed(from: string, to: string): void {
    this.#drop(from);
    this.#drop(to);
    // The same person, still followed by account-notify; else asked about again under the new nick.
    if (!this.#members.get(to)?.followed) this.#members.forgetAccount(to);
  }

  /** `nick` parted, was kicked or quit: whoever uses the nick next is someone to ask about afresh. */
  gone(nick: string): void {
    this.#drop(nick);
  }

  #drop(nick: string): void {
    const lower = nick.toLowerCase();
    this.#answers.delete(lower);
    const asking = this.#asking.get(lower);
    if (asking) {
      // Its answer may be about whoever has the nick now, not whoever sent the lines waiting on it.
      asking.stale = true;
      this.#asking.delete(lower);
    }
  }

  /** What the channel state says of a member's account, while it is current; undefined: ask. */
  #fromChannel(m: Readonly<Member> | undefined): { account?: string } | undefined {
    if (m?.learnt === undefined) return undefined;
    if (m.followed) return { account: m.account };
    // Not followed: an account for a while; "none" is not believed (they may have identified since).
    return m.account && this.#now() < m.learnt + this.#ttl ? { account: m.account } : undefined;
  }

  /**
   * The account `nick` is logged in to, or undefined; `tagged` is the
   * message's `account` tag. Only asks the server (WHOIS) when nothing
   * else can tell, once for all the lines that wait on it.
   */
  accountOf(nick: string, tagged: string | undefined): Promise<string | undefined> | string | undefined {
    if (tagged) return tagged;
    // With account-tag on, a message without the tag is from someone not logged in.
    if (this.#cap("account-tag")) return undefined;
    const known = this.#fromChannel(this.#members.get(nick));
    if (known) return known.account;
    const lower = nick.toLowerCase();
    const cached = this.#answers.get(lower);
    if (cached && this.#now() < cached.until) return cached.account;
    if (cached) this.#answers.delete(lower);
    let asking = this.#asking.get(lower);
    if (!asking) {
      asking = this.#ask(nick);
      this.#asking.set(lower, asking);
    }
    return asking.answer;
  }

  #ask(nick: string): Asking {
    const lower = nick.toLowerCase();
    const asking: Asking = { answer: Promise.resolve(undefined), stale: false };
    asking.answer = new Promise((resolve) => {
      const finish = (account: string | undefined) => {
        clearTimeout(timer);
        if (this.#asking.get(lower) === asking) this.#asking.delete(lower);
        resolve(asking.stale ? undefined : account);
      };
      const timer = setTimeout(
        guarded("irc: waiting for a WHOIS", () => finish(undefined), this.#log),
        WHOIS_MS,
      );
      this.#paced(() =>
        this.#client.whois(
          nick,
          guarded(`irc: the WHOIS answer for ${nick}`, (e) => {
            const account = e.account || (e.registered_nick ? nick : undefined);
            // An answer that comes after the nick changed hands is about its new holder: true now.
            this.#remember(lower, account);
            finish(account);
          }, this.#log),
        )
      );
    });
    return asking;
  }

  #remember(lower: string, account: string | undefined): void {
    const now = this.#now();
    this.#answers.delete(lower);
    this.#answers.set(lower, { account, until: now + (account ? this.#ttl : NOT_LOGGED_IN_MS) });
    if (this.#answers.size <= MAX_ANSWERS) return;
    for (const [nick, a] of this.#answers) if (a.until <= now) this.#answers.delete(nick);
    for (const nick of this.#answers.keys()) {
      if (this.#answers.size <= MAX_ANSWERS) break;
      this.#answers.delete(nick);
    }
  }

  /** How many WHOIS answers are kept now. */
  get cached(): number {
    return this.#answers.size;
  }

  /** The nick now known to use `account` (for notices to subscribers), if any is current. */
  nickOf(account: string): string | undefined {
    const lower = account.toLowerCase();
    for (const m of this.#members.members()) {
      if (this.#fromChannel(m)?.account?.toLowerCase() === lower) return m.nick;
    }
    const now = this.#now();
    for (const [nick, a] of this.#answers) {
      if (now < a.until && a.account?.toLowerCase() === lower) return nick;
    }
    return undefined;
  }
}
