/**
 * Whose services account is whose, on networks with and without IRCv3's
 * account extensions: the `account` tag on a message where the server sends
 * it; else what the channel state knows, learnt by WHOX on joining
 * (`WHO #chan %tna,TOKEN`) and kept current by `extended-join` and
 * `account-notify`; else one WHOIS (330, or 307 for networks that only mark
 * a nick as identified) per nick, kept until that nick changes or quits.
 *
 * @module
 */
import type { ChannelState } from "./channel_state.ts";

// deno-lint-ignore no-explicit-any
type Client = any;

/** Our WHOX token, to tell our replies from anyone else's. */
const TOKEN = "713";
/** How long a WHOIS may take before the person counts as not identified. */
const WHOIS_MS = 10_000;
/**
 * How long "not logged in" is believed: long enough that a burst of lines
 * costs one WHOIS, short enough that someone who identifies after being told
 * to is recognised moments later.
 */
const NOT_LOGGED_IN_MS = 10_000;

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

/** Account lookups for one connection. */
export class Accounts {
  #client: Client;
  #members: ChannelState;
  /** Members whose account (or lack of one) the server keeps us told about. */
  #followed = new Set<string>();
  #whois = new Map<string, string>();
  /** Nicks a WHOIS found not logged in, and until when that holds. */
  #without = new Map<string, number>();
  #asking = new Map<string, Promise<string | undefined>>();

  /** Sends a query to the server when the outgoing budget allows (the send queue). */
  #paced: (send: () => void) => void;

  constructor(client: Client, members: ChannelState, paced: (send: () => void) => void = (send) => send()) {
    this.#client = client;
    this.#members = members;
    this.#paced = paced;
  }

  #cap(name: string): boolean {
    return !!this.#client.network?.cap?.isEnabled(name);
  }

  /** After the channel's NAMES: ask who is logged in as whom, where WHOX exists. */
  namesReceived(channel: string): void {
    this.#followed.clear();
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
    this.#members.setAccount(nick, account === "0" ? undefined : account);
    if (this.#cap("account-notify")) this.#followed.add(nick.toLowerCase());
  }

  /** Someone joined; `account` is what extended-join said (false: none), undefined without it. */
  joined(nick: string, account: string | false | undefined): void {
    if (account !== undefined && this.#cap("account-notify")) this.#followed.add(nick.toLowerCase());
  }

  renamed(from: string, to: string): void {
    const lower = from.toLowerCase();
    this.#whois.delete(lower);
    this.#without.delete(lower);
    this.#without.delete(to.toLowerCase());
    if (this.#followed.delete(lower)) this.#followed.add(to.toLowerCase());
  }

  gone(nick: string): void {
    this.#whois.delete(nick.toLowerCase());
    this.#without.delete(nick.toLowerCase());
    this.#followed.delete(nick.toLowerCase());
  }

  /**
   * The account `nick` is logged in to, or undefined; `tagged` is the
   * message's `account` tag. Only asks the server (WHOIS) when nothing
   * else can tell.
   */
  accountOf(nick: string, tagged: string | undefined): Promise<string | undefined> | string | undefined {
    if (tagged) return tagged;
    // With account-tag on, a message without the tag is from someone not logged in.
    if (this.#cap("account-tag")) return undefined;
    const lower = nick.toLowerCase();
    const member = this.#members.get(nick);
    if (member?.account) return member.account;
    if (member && this.#followed.has(lower)) return undefined;
    const cached = this.#whois.get(lower);
    if (cached) return cached;
    if ((this.#without.get(lower) ?? 0) > Date.now()) return undefined;
    let pending = this.#asking.get(lower);
    if (!pending) {
      pending = this.#ask(nick).finally(() => this.#asking.delete(lower));
      this.#asking.set(lower, pending);
    }
    return pending;
  }

  #ask(nick: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), WHOIS_MS);
      this.#paced(() =>
        this.#client.whois(nick, (e: { account?: string; registered_nick?: string; error?: string }) => {
          clearTimeout(timer);
          const account = e.account || (e.registered_nick ? nick : undefined);
          if (account) this.#whois.set(nick.toLowerCase(), account);
          else this.#without.set(nick.toLowerCase(), Date.now() + NOT_LOGGED_IN_MS);
          resolve(account);
        })
      );
    });
  }

  /** The nick now known to use `account` (for notices to subscribers). */
  nickOf(account: string): string | undefined {
    const lower = account.toLowerCase();
    for (const [nick, a] of this.#whois) if (a.toLowerCase() === lower) return nick;
    return undefined;
  }
}
