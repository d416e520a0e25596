/**
 * The bot's link to IRC: one connection at a time through irc-framework,
 * registration and login, joining the channel (again, after a kick or a
 * refusal), taking the configured nick back, keeping the channel state and
 * the accounts current, and an outer loop that reconnects forever with
 * growing, jittered waits. irc-framework pings the server (`ping_interval`)
 * and drops a silent link, which this loop then replaces. `start` and
 * `stop` are what the IRC lease calls when this process gains or loses it.
 *
 * What people say comes out through `onMessage`; the intake takes it from
 * there.
 *
 * @module
 */
import { guarded, type Log, report } from "../util/boundary.ts";
import { Accounts, numericParams } from "./accounts.ts";
import { ChannelState } from "./channel_state.ts";
import {
  type IrcClient,
  type IrcClientClass,
  type IrcEventName,
  type IrcEvents,
  listen,
  type MessageEvent,
} from "./client_types.ts";
import { Credentials, Login, loginOptions } from "./login.ts";
import type { SendQueue } from "./send_queue.ts";
import { type IrcSettings, isChannel } from "./settings.ts";

/**
 * irc-framework's client, and the transport to give it: our own on Deno's
 * sockets, except when the certificate check is off (only node:tls, which
 * irc-framework's default transport uses, can skip it).
 */
async function loadClient(s: IrcSettings): Promise<{ Client: IrcClientClass; transport?: unknown }> {
  if (s.tls && s.tlsVerify === false) {
    const { Client } = await import("irc-framework");
    return { Client: Client as unknown as IrcClientClass };
  }
  const [{ default: Client }, { DenoTransport }] = await Promise.all([
    import("irc-framework/src/client.js"),
    import("./transport.ts"),
  ]);
  // irc-framework ships no types: its client is what client_types.ts declares.
  return { Client: Client as unknown as IrcClientClass, transport: DenoTransport };
}

/** Someone said something to the channel or to the bot, on `client`. */
export type OnMessage = (client: IrcClient, e: MessageEvent) => void;

/** The lifecycle of the bot's IRC connections. */
export class Connection {
  #s: IrcSettings;
  #log: Log;
  #queue: SendQueue;
  #onMessage: OnMessage;
  #credentials: Credentials;
  #client: IrcClient | undefined;
  #members = new ChannelState();
  #accounts: Accounts | undefined;
  #attempt = 0;
  #stopped = false;
  #joined = false;
  #registered = false;
  /** When the current link registered (ms since the epoch); undefined while not connected. */
  #connectedAt: number | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #joinWaiters: (() => void)[] = [];

  constructor(settings: IrcSettings, queue: SendQueue, onMessage: OnMessage, log: Log) {
    this.#s = settings;
    this.#queue = queue;
    this.#onMessage = onMessage;
    this.#log = log;
    this.#credentials = new Credentials(settings, log);
  }

  /** The current connection's client (undefined before the first). */
  get client(): IrcClient | undefined {
    return this.#client;
  }

  /** Who is in the channel now, with their modes. */
  get members(): ChannelState {
    return this.#members;
  }

  /** The current connection's account lookups. */
  get accounts(): Accounts | undefined {
    return this.#accounts;
  }

  /** True while in the channel. */
  get joined(): boolean {
    return this.#joined;
  }

  /** When the current link registered (ms since the epoch); undefined while not connected. */
  get connectedAt(): number | undefined {
    return this.#connectedAt;
  }

  /** Resolves the next time the bot is in its channel (at once if it is). */
  whenJoined(): Promise<void> {
    return this.#joined ? Promise.resolve() : new Promise((r) => this.#joinWaiters.push(r));
  }

  /** Starts connecting; reconnects on its own until `stop`. */
  start(): void {
    this.#stopped = false;
    this.#dial();
  }

  #dial(): void {
    void this.#connect().catch((e) => report("irc: connecting", e, this.#log));
  }

  #later(ms: number, what: string, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      guarded(`irc: ${what}`, fn, this.#log)();
    }, ms);
    this.#timers.add(t);
  }

  #on<K extends IrcEventName>(client: IrcClient, event: K, listener: (e: IrcEvents[K]) => void): void {
    listen(client, event, listener, this.#log);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const s = this.#s;
    // Loaded on first use: a program without IRC starts faster and smaller.
    const { Client, transport } = await loadClient(s);
    if (this.#stopped) return;
    const credentials = await this.#credentials.read();
    if (this.#stopped) return;
    const client = new Client();
    this.#client = client;
    this.#registered = false;
    this.#connectedAt = undefined;
    this.#members.clear();
    let triedNicks = 0;
    const tls = s.tls ? (s.tlsVerify === false ? " (TLS, certificate NOT checked)" : " (TLS)") : "";
    this.#log(`irc: connecting to ${s.server}:${s.port}${tls} as ${s.nick}`);
    const login = new Login(client, credentials, this.#log);
    const accounts = this.#accounts = new Accounts(
      client,
      this.#members,
      (send) => this.#queue.query(send),
      {},
      this.#log,
    );
    let joinWait = 0;
    const join = () => this.#client === client && !this.#joined && client.join(s.channel);
    const on = <K extends IrcEventName>(event: K, listener: (e: IrcEvents[K]) => void) =>
      this.#on(client, event, listener);
    on("registered", (e) => {
      this.#registered = true;
      this.#connectedAt = Date.now();
      this.#log(`irc: registered as ${e.nick}`);
      login.registered(e.nick);
      void login.settled.then(() => login.refused && this.#credentials.refused());
      // A channel open only to identified people (+R) takes the bot once login is decided.
      void login.settled.then(guarded("irc: joining after login", join, this.#log));
    });
    // Services that finish late: an account arriving after a refused join is worth another try at once.
    on("loggedin", () => joinWait > 0 && join());
    on("raw", (e) => {
      if (!e.from_server) return;
      accounts.serverLine(e.line);
      if (!e.line.includes(" 477 ")) return;
      const p = numericParams(e.line);
      if (p?.numeric !== "477" || !isChannel(s, p.params[1])) return;
      joinWait = Math.min(60_000, joinWait ? joinWait * 2 : 2000);
      this.#log(
        `irc: ${s.channel} refused the bot (${p.params.at(-1)}); trying again in ${joinWait / 1000} s`,
      );
      this.#later(joinWait, "joining again", join);
    });
    on("nick in use", () => {
      if (this.#registered) return; // a reclaim attempt failed; the timer tries again
      triedNicks++;
      const next = triedNicks === 1
        ? s.fallbackNick
        : `${s.fallbackNick.slice(0, 25)}${Math.floor(Math.random() * 1000)}`;
      this.#log(`irc: nick taken, trying ${next}`);
      client.changeNick(next);
    });
    on("join", (e) => {
      if (!isChannel(s, e.channel)) return;
      if (e.nick === client.user.nick) {
        this.#joined = true;
        this.#attempt = 0;
        joinWait = 0;
        this.#log(`irc: joined ${s.channel}`);
        this.#queue.resume();
        for (const w of this.#joinWaiters.splice(0)) w();
      } else {
        this.#members.join(e.nick);
        accounts.joined(e.nick, e.account);
      }
    });
    on("userlist", (e) => {
      if (!isChannel(s, e.channel)) return;
      this.#members.reset(e.users);
      accounts.namesReceived(s.channel);
    });
    on("part", (e) => isChannel(s, e.channel) && this.#left(client, e.nick));
    on("kick", (e) => isChannel(s, e.channel) && this.#left(client, e.kicked));
    on("quit", (e) => {
      this.#members.leave(e.nick);
      accounts.gone(e.nick);
      this.#maybeReclaim(client, e.nick);
    });
    on("nick", (e) => {
      this.#members.rename(e.nick, e.new_nick);
      accounts.renamed(e.nick, e.new_nick);
      this.#maybeReclaim(client, e.nick);
    });
    on("mode", (e) => {
      if (!isChannel(s, e.target)) return;
      for (const m of e.modes ?? []) if (m.param) this.#members.mode(m.mode, m.param);
    });
    on("account", (e) => {
      accounts.changed(e.nick, e.account || undefined);
    });
    listen(
      client,
      "privmsg",
      (e) => this.#onMessage(client, e),
      this.#log,
      (e) => `irc: privmsg from ${e.nick}`,
    );
    on("socket close", (err) => err && this.#log(`irc: socket error: ${err.message ?? err}`));
    on("close", () => {
      login.close();
      this.#onClose(client);
    });
    client.connect({
      ...(transport ? { transport } : {}),
      host: s.server,
      port: s.port,
      tls: s.tls,
      rejectUnauthorized: s.tlsVerify ?? true,
      nick: s.nick,
      username: "ptgbot",
      gecos: "ptgbot",
      auto_reconnect: false,
      ping_interval: s.pingIntervalS,
      ping_timeout: s.pingTimeoutS,
      message_max_length: 1000,
      ...loginOptions(credentials),
      sasl_disconnect_on_fail: false,
    });
    this.#scheduleReclaim(client);
  }

  #left(client: IrcClient, nick: string): void {
    if (nick === client.user.nick) {
      this.#joined = false;
      this.#members.clear();
      this.#queue.pause();
      this.#log(`irc: left ${this.#s.channel}; joining again in 5 s`);
      this.#later(5000, "joining again", () => this.#client === client && client.join(this.#s.channel));
    } else {
      this.#members.leave(nick);
      this.#accounts?.gone(nick);
    }
  }

  #maybeReclaim(client: IrcClient, freedNick: string): void {
    if (freedNick.toLowerCase() === this.#s.nick.toLowerCase() && client.user.nick !== this.#s.nick) {
      client.changeNick(this.#s.nick);
    }
  }

  #scheduleReclaim(client: IrcClient): void {
    this.#later(this.#s.reclaimMs ?? 30_000, "taking the nick back", () => {
      if (this.#client !== client || this.#stopped) return;
      if (this.#registered && client.user.nick !== this.#s.nick) client.changeNick(this.#s.nick);
      this.#scheduleReclaim(client);
    });
  }

  #onClose(client: IrcClient): void {
    if (this.#client !== client) return;
    const wasJoined = this.#joined;
    this.#joined = false;
    this.#connectedAt = undefined;
    this.#queue.pause();
    if (this.#stopped) return;
    client.removeAllListeners();
    const base = Math.min(this.#s.reconnectMaxMs ?? 60_000, 1000 * 2 ** Math.min(this.#attempt, 10));
    const wait = Math.round(base * (0.5 + Math.random() / 2));
    this.#attempt++;
    this.#log(
      `irc: ${
        wasJoined ? "disconnected" : "connection failed"
      }; reconnecting in ${wait} ms (attempt ${this.#attempt})`,
    );
    this.#later(wait, "reconnecting", () => this.#dial());
  }

  /**
   * Leaves IRC: QUIT with a message after the queue drains (at most
   * `drainMs`); `stopping` runs once the bot stopped taking lines, before
   * the queue is emptied.
   */
  async stop(message: string, drainMs: number, stopping: () => void): Promise<void> {
    if (this.#stopped) return;
    await this.#queue.drain(drainMs);
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    stopping();
    this.#queue.clear();
    const client = this.#client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      client.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        client.quit(message);
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
    client.removeAllListeners();
    this.#joined = false;
    this.#connectedAt = undefined;
  }
}
