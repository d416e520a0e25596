/**
 * The bot on IRC: one connection at a time through irc-framework, an outer
 * loop that reconnects forever with growing, jittered waits, live channel
 * state for permissions, and every reply through the one send queue.
 */
import { classifyLine } from "../engine/parse.ts";
import type { LineRunner, Reply, Speaker } from "../engine/types.ts";
import { Accounts, numericParams } from "./accounts.ts";
import { ChannelState } from "./channel_state.ts";
import { Login, loginOptions, type LoginSettings } from "./login.ts";
import { CLASS_RULES, SendQueue } from "./send_queue.ts";
import { stripFormatting } from "./text.ts";
import { MAX_WAITING, UserQueue } from "./user_queue.ts";
import { errorDetail, errorText } from "../util/errors.ts";

/** What the bot needs to connect and behave. */
export interface IrcSettings {
  nick: string;
  fallbackNick: string;
  password?: string;
  /** The services account to log in to (default: the nick). */
  account?: string;
  /** A client certificate and its key (PEM files): SASL EXTERNAL instead of the password. */
  certFile?: string;
  keyFile?: string;
  server: string;
  port: number;
  tls: boolean;
  /** Check the server's certificate (default); off only for private servers with self-signed ones. */
  tlsVerify?: boolean;
  channel: string;
  requireAccount: boolean;
  sendBurst: number;
  sendIntervalMs: number;
  /**
   * Commands one person may have handled in a burst, then one per
   * `userIntervalMs`; more wait their turn (see `UserQueue`).
   */
  userBurst: number;
  userIntervalMs: number;
  pingIntervalS: number;
  pingTimeoutS: number;
  /** Longest wait between reconnect attempts. */
  reconnectMaxMs?: number;
  /** Time between attempts to take the configured nick back. */
  reclaimMs?: number;
  /** How long services get to answer a login before the bot goes on without them (default 10 s). */
  loginAnswerMs?: number;
}

// deno-lint-ignore no-explicit-any
type IrcEvent = any;

/**
 * irc-framework's client, and the transport to give it: our own on Deno's
 * sockets, except when the certificate check is off (only node:tls, which
 * irc-framework's default transport uses, can skip it).
 */
async function loadClient(s: IrcSettings): Promise<{ Client: IrcEvent; transport?: unknown }> {
  if (s.tls && s.tlsVerify === false) {
    const { Client } = await import("irc-framework");
    return { Client };
  }
  const [{ default: Client }, { DenoTransport }] = await Promise.all([
    import("irc-framework/src/client.js"),
    import("./transport.ts"),
  ]);
  return { Client, transport: DenoTransport };
}

const APOLOGY = "Sorry, that command failed on our side; the error is logged";

const notTaken = (count: number) =>
  `${count} ${count === 1 ? "line was" : "lines were"} not taken (at most ${MAX_WAITING} wait at once); ` +
  "send them again";

/** The IRC side of the program. */
export class IrcBot {
  #runner: LineRunner;
  #s: IrcSettings;
  #log: (line: string) => void;
  #client: IrcEvent | undefined;
  #queue: SendQueue;
  #users: UserQueue;
  #members = new ChannelState();
  #attempt = 0;
  #stopped = false;
  #joined = false;
  #registered = false;
  /** When the current link registered (ms since the epoch); undefined while not connected. */
  #connectedAt: number | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #joinWaiters: (() => void)[] = [];
  #accounts: Accounts | undefined;
  #keyWarned = false;
  /** Services refused irc_pass: it is not sent again until a restart (with a corrected one). */
  #passwordRefused = false;

  constructor(
    runner: LineRunner,
    settings: IrcSettings,
    log: (line: string) => void = (l) => console.log(l),
  ) {
    this.#runner = runner;
    this.#s = settings;
    this.#log = log;
    this.#queue = new SendQueue((command, target, text) => this.#client?.raw(command, target, text), {
      burst: settings.sendBurst,
      intervalMs: settings.sendIntervalMs,
      log,
    });
    this.#users = new UserQueue({
      burst: settings.userBurst,
      intervalMs: settings.userIntervalMs,
      log,
    });
  }

  /** True while in the channel. */
  get joined(): boolean {
    return this.#joined;
  }

  /** For the status and /metrics: the link, and the send queue's depth and drops. */
  get health(): { connectedAt?: number; joined: boolean; queued: number; dropped: number } {
    return {
      connectedAt: this.#connectedAt,
      joined: this.#joined,
      queued: this.#queue.size,
      dropped: this.#queue.dropped,
    };
  }

  /** The nick in use now. */
  get nick(): string | undefined {
    return this.#client?.user?.nick;
  }

  /** Resolves the next time the bot is in its channel (at once if it is). */
  whenJoined(): Promise<void> {
    return this.#joined ? Promise.resolve() : new Promise((r) => this.#joinWaiters.push(r));
  }

  /** Starts connecting; reconnects on its own until `stop`. */
  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const s = this.#s;
    // Loaded on first use: a program without IRC starts faster and smaller.
    const { Client, transport } = await loadClient(s);
    if (this.#stopped) return;
    const credentials = await this.#credentials();
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
    const accounts = this.#accounts = new Accounts(client, this.#members, (send) => this.#queue.query(send));
    let joinWait = 0;
    const join = () => this.#client === client && !this.#joined && client.join(s.channel);
    client.on("registered", (e: IrcEvent) => {
      this.#registered = true;
      this.#connectedAt = Date.now();
      this.#log(`irc: registered as ${e.nick}`);
      login.registered(e.nick);
      void login.settled.then(() => login.refused && (this.#passwordRefused = true));
      // A channel open only to identified people (+R) takes the bot once login is decided.
      void login.settled.then(join);
    });
    // Services that finish late: an account arriving after a refused join is worth another try at once.
    client.on("loggedin", () => joinWait > 0 && join());
    client.on("raw", (e: { line: string; from_server: boolean }) => {
      if (!e.from_server) return;
      accounts.serverLine(e.line);
      if (!e.line.includes(" 477 ")) return;
      const p = numericParams(e.line);
      if (p?.numeric !== "477" || !this.#isChannel(p.params[1])) return;
      joinWait = Math.min(60_000, joinWait ? joinWait * 2 : 2000);
      this.#log(
        `irc: ${s.channel} refused the bot (${p.params.at(-1)}); trying again in ${joinWait / 1000} s`,
      );
      this.#later(joinWait, join);
    });
    client.on("nick in use", () => {
      if (this.#registered) return; // a reclaim attempt failed; the timer tries again
      triedNicks++;
      const next = triedNicks === 1
        ? s.fallbackNick
        : `${s.fallbackNick.slice(0, 25)}${Math.floor(Math.random() * 1000)}`;
      this.#log(`irc: nick taken, trying ${next}`);
      client.changeNick(next);
    });
    client.on("join", (e: IrcEvent) => {
      if (!this.#isChannel(e.channel)) return;
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
    client.on("userlist", (e: IrcEvent) => {
      if (!this.#isChannel(e.channel)) return;
      this.#members.reset(e.users);
      accounts.namesReceived(s.channel);
    });
    client.on("part", (e: IrcEvent) => this.#isChannel(e.channel) && this.#left(client, e.nick));
    client.on("kick", (e: IrcEvent) => this.#isChannel(e.channel) && this.#left(client, e.kicked));
    client.on("quit", (e: IrcEvent) => {
      this.#members.leave(e.nick);
      accounts.gone(e.nick);
      this.#maybeReclaim(client, e.nick);
    });
    client.on("nick", (e: IrcEvent) => {
      this.#members.rename(e.nick, e.new_nick);
      accounts.renamed(e.nick, e.new_nick);
      this.#maybeReclaim(client, e.nick);
    });
    client.on("mode", (e: IrcEvent) => {
      if (!this.#isChannel(e.target)) return;
      for (const m of e.modes ?? []) if (m.param) this.#members.mode(m.mode, m.param);
    });
    client.on("account", (e: IrcEvent) => {
      accounts.changed(e.nick, e.account || undefined);
    });
    client.on("privmsg", (e: IrcEvent) => this.#onMessage(client, e));
    // irc-framework hands the socket's error (a refused certificate, say) to "socket close".
    client.on(
      "socket close",
      (err?: Error | false) => err && this.#log(`irc: socket error: ${err.message ?? err}`),
    );
    client.on("close", () => {
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

  /** What to log in with; the certificate is read on each connection, so a renewed one is picked up. */
  async #credentials(): Promise<LoginSettings> {
    const s = this.#s;
    let password = s.password;
    if (password && this.#passwordRefused) {
      this.#log("irc: not sending irc_pass again: services refused it; correct it and restart");
      password = undefined;
    }
    const base = { nick: s.nick, account: s.account, password, answerMs: s.loginAnswerMs };
    if (!s.certFile) return base;
    try {
      const [cert, key] = await Promise.all([
        Deno.readTextFile(s.certFile),
        Deno.readTextFile(s.keyFile ?? s.certFile),
      ]);
      const mode = (await Deno.stat(s.keyFile ?? s.certFile)).mode;
      if (mode !== null && (mode & 0o077) !== 0 && !this.#keyWarned) {
        this.#keyWarned = true;
        this.#log(
          `irc: the client certificate's key may be read by other users (mode ${
            (mode & 0o777).toString(8)
          }); chmod 600 it`,
        );
      }
      return { ...base, certificate: { cert, key } };
    } catch (e) {
      this.#log(`irc: cannot read the client certificate (${errorText(e)}); connecting without it`);
      return base;
    }
  }

  #isChannel(name: string | undefined): boolean {
    return !!name && name.toLowerCase() === this.#s.channel.toLowerCase();
  }

  #left(client: IrcEvent, nick: string): void {
    if (nick === client.user.nick) {
      this.#joined = false;
      this.#members.clear();
      this.#queue.pause();
      this.#log(`irc: left ${this.#s.channel}; joining again in 5 s`);
      this.#later(5000, () => this.#client === client && client.join(this.#s.channel));
    } else {
      this.#members.leave(nick);
      this.#accounts?.gone(nick);
    }
  }

  #maybeReclaim(client: IrcEvent, freedNick: string): void {
    if (freedNick.toLowerCase() === this.#s.nick.toLowerCase() && client.user.nick !== this.#s.nick) {
      client.changeNick(this.#s.nick);
    }
  }

  #scheduleReclaim(client: IrcEvent): void {
    this.#later(this.#s.reclaimMs ?? 30_000, () => {
      if (this.#client !== client || this.#stopped) return;
      if (this.#registered && client.user.nick !== this.#s.nick) client.changeNick(this.#s.nick);
      this.#scheduleReclaim(client);
    });
  }

  #onClose(client: IrcEvent): void {
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
    this.#later(wait, () => void this.#connect());
  }

  #speaker(e: IrcEvent, place: "channel" | "private", account: string | undefined): Speaker | string {
    const nick: string = e.nick;
    let id = nick.toLowerCase();
    if (this.#s.requireAccount) {
      if (!account) {
        return "Please identify to services (NickServ) first: this bot knows people by their account";
      }
      id = account.toLowerCase();
    }
    return { id, nick, place, op: this.#members.isOp(nick), voice: this.#members.isVoiced(nick) };
  }

  #onMessage(client: IrcEvent, e: IrcEvent): void {
    const own = client.user.nick;
    if (!e.nick || e.nick === own || typeof e.message !== "string") return;
    const place = this.#isChannel(e.target)
      ? "channel"
      : e.target?.toLowerCase() === own.toLowerCase()
      ? "private"
      : undefined;
    if (!place) return;
    const text = stripFormatting(e.message);
    const kind = classifyLine(text, place);
    if (kind === "chatter") return;
    // Help needs no account; a command may need the server asked who the speaker is.
    const found = this.#s.requireAccount && kind !== "help"
      ? this.#accounts?.accountOf(e.nick, e.account || undefined)
      : undefined;
    if (found instanceof Promise) {
      void found.then((account) => this.#client === client && this.#take(e, place, text, kind, account));
    } else {
      this.#take(e, place, text, kind, found);
    }
  }

  #take(
    e: IrcEvent,
    place: "channel" | "private",
    text: string,
    kind: ReturnType<typeof classifyLine>,
    account: string | undefined,
  ): void {
    const origin = place === "channel" ? this.#s.channel : e.nick;
    const prefix = place === "channel" ? `${e.nick}: ` : "";
    const who = this.#speaker(e, place, account);
    // Help needs no account; everything else does. The reminder to identify
    // takes a turn like any answer, so it cannot flood the channel either.
    const reminder = typeof who === "string" && kind !== "help" ? who : undefined;
    const speaker: Speaker = typeof who !== "string"
      ? who
      : { id: e.nick.toLowerCase(), nick: e.nick, place, op: false, voice: false };
    // Unidentified people get keys no account can have (account names, like
    // nicks, hold no ":"), so nobody can use up an account holder's turns.
    const key = typeof who === "string" ? `nick:${speaker.id}` : speaker.id;
    // Answers take the turn of the person they answer, the speaker, in the channel as in private.
    const notSent = (count: number) => prefix + CLASS_RULES.reply.notSent(count);
    const say = (t: string) => this.#queue.push(origin, prefix + t, { person: key, notSent });
    const job = async () => {
      let replies: Reply[] | undefined = reminder === undefined ? undefined : [{ text: reminder }];
      if (reminder === undefined) {
        try {
          replies = await this.#runner.run(speaker, text);
        } catch (err) {
          // The airbag: log everything, tell the channel nothing internal.
          this.#log(`irc: command from ${e.nick} failed: ${errorDetail(err)}`);
          replies = [{ text: APOLOGY }];
        }
      }
      try {
        this.#deliver(replies, say);
      } catch (err) {
        this.#log(`irc: could not send an answer to ${e.nick}: ${err}`);
      }
    };
    this.#users.push(key, job, (count) => say(notTaken(count)));
  }

  #deliver(replies: Reply[] | undefined, say: (t: string) => void): void {
    for (const r of replies ?? []) {
      if (r.to === undefined) {
        say(r.text);
      } else {
        this.notify([{ to: r.to, text: r.text }]);
      }
    }
  }

  /**
   * Queues private notices as notifications, each to a person's key: with
   * `require_account` an account, sent to the nick that account uses now (a
   * notice for an account nobody here uses is not sent, so it never reaches
   * whoever holds a nick of that name); otherwise a nick.
   */
  notify(notices: readonly { to: string; text: string }[]): void {
    for (const n of notices) {
      const nick = this.#s.requireAccount ? this.#accounts?.nickOf(n.to) : n.to;
      if (nick !== undefined) this.#queue.push(nick, n.text, { person: n.to, kind: "notice" });
    }
  }

  /** Queues lines to the channel as notifications (announcements). */
  announce(lines: readonly string[]): void {
    for (const line of lines) {
      this.#queue.push(this.#s.channel, line, { person: this.#s.channel, kind: "notice" });
    }
  }

  /** Leaves IRC: QUIT with a message after the queue drains (at most `drainMs`). */
  async stop(message = "ptgbot stopping", drainMs = 3000): Promise<void> {
    if (this.#stopped) return;
    await this.#queue.drain(drainMs);
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#users.stop();
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
