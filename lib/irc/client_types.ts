/**
 * irc-framework's client as this program uses it, typed once: the methods
 * called on it, and each event with the fields read from its payload.
 * irc-framework ships no types; everything of it the IRC side touches is
 * declared here, so a field read that the library does not send shows up
 * in one place.
 *
 * @module
 */
import { guarded, type Log } from "../util/boundary.ts";

/** A server line as irc-framework hands it to `raw` listeners. */
export interface RawEvent {
  line: string;
  from_server: boolean;
}

/** A PRIVMSG (or a NOTICE) to the channel or to the bot. */
export interface MessageEvent {
  nick?: string;
  target?: string;
  message: unknown;
  /** The `account` tag, where the server sends it. */
  account?: string;
}

/** What a WHOIS answered. */
export interface WhoisEvent {
  nick?: string;
  account?: string;
  registered_nick?: string;
  error?: string;
}

/** Every event the program listens to, with its payload. */
export interface IrcEvents {
  registered: { nick: string };
  loggedin: { account: string };
  "sasl failed": { reason: string; message?: string };
  raw: RawEvent;
  "nick in use": unknown;
  join: { channel: string; nick: string; account?: string | false };
  userlist: { channel: string; users: { nick: string; modes?: string[] }[] };
  part: { channel: string; nick: string };
  kick: { channel: string; kicked: string };
  quit: { nick: string };
  nick: { nick: string; new_nick: string };
  mode: { target: string; modes?: { mode: string; param?: string }[] };
  account: { nick: string; account?: string | false };
  privmsg: MessageEvent;
  notice: { nick?: string; message: string };
  "irc error": { error: string; nick?: string };
  /** irc-framework hands the socket's error (a refused certificate, say) here; false for a clean close. */
  "socket close": Error | false | undefined;
  close: unknown;
}

/** The name of an event the program listens to. */
export type IrcEventName = keyof IrcEvents;

/** The client: one connection's worth of irc-framework. */
export interface IrcClient {
  on<K extends IrcEventName>(event: K, listener: (e: IrcEvents[K]) => void): unknown;
  once<K extends IrcEventName>(event: K, listener: (e: IrcEvents[K]) => void): unknown;
  removeAllListeners(): unknown;
  connect(options: Record<string, unknown>): void;
  raw(...words: string[]): void;
  say(target: string, text: string): void;
  join(channel: string): void;
  changeNick(nick: string): void;
  whois(nick: string, callback: (e: WhoisEvent) => void): void;
  quit(message: string): void;
  /** What the server said of us: our nick now. */
  user: { nick: string };
  /** What the server offers (absent until it said). */
  network?: IrcNetwork;
}

/** The server's capabilities (IRCv3 CAP) as irc-framework negotiated them. */
export interface IrcCaps {
  negotiating: boolean;
  /** Offered capabilities and their values ("PLAIN,EXTERNAL" for sasl). */
  available?: Map<string, string>;
  isEnabled(name: string): boolean;
}

/** What irc-framework knows of the server: capabilities, and ISUPPORT tokens (`supports("WHOX")`). */
export interface IrcNetwork {
  cap?: IrcCaps;
  supports(token: string): unknown;
}

/** irc-framework's `Client` class. */
export type IrcClientClass = new () => IrcClient;

/**
 * Listens to `event` inside the error boundary: a listener that throws is
 * logged as "irc: EVENT failed" (or what `what` says of its payload), and
 * the connection and the other listeners go on.
 */
export function listen<K extends IrcEventName>(
  client: IrcClient,
  event: K,
  listener: (e: IrcEvents[K]) => void,
  log: Log,
  what: (e: IrcEvents[K]) => string = () => `irc: ${event}`,
): void {
  client.on(event, guarded(what, listener, log));
}
