/**
 * The bot on IRC: one connection at a time through irc-framework, an outer
 * loop that reconnects forever with growing, jittered waits, live channel
 * state for permissions, and every reply through the one send queue.
 */
import { classifyLine } from "../engine/parse.ts";
import type { LineRunner, Reply, Speaker } from "../engine/types.ts";
import { ChannelState } from "./channel_state.ts";
import { SendQueue } from "./send_queue.ts";
import { stripFormatting } from "./text.ts";
import { MAX_WAITING, UserQueue } from "./user_queue.ts";
import { errorDetail } from "../util/errors.ts";

/** What the bot needs to connect and behave. */
export interface IrcSettings {
  nick: string;
  fallbackNick: string;
  password?: string;
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

  constructor(
    runner: LineRunner,
    settings: IrcSettings,
    log: (line: string) => void = (l) => console.log(l),
  ) {
    this.#runner = runner;
    this.#s = settings;
    this.#log = log;
    this.#queue = new SendQueue((target, text) => this.#client?.raw("PRIVMSG", target, text), {
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
    const client = new Client();
    this.#client = client;
    this.#registered = false;
    this.#connectedAt = undefined;
    let triedNicks = 0;
    let loggedIn = false;
    const tls = s.tls ? (s.tlsVerify === false ? " (TLS, certificate NOT checked)" : " (TLS)") : "";
    this.#log(`irc: connecting to ${s.server}:${s.port}${tls} as ${s.nick}`);
    client.on("registered", () => {
      this.#registered = true;
      this.#connectedAt = Date.now();
      this.#log(`irc: registered as ${client.user.nick}`);
      if (s.password && !loggedIn) {
        // No SASL here: identify to NickServ and give it a moment before joining.
        client.say("NickServ", `IDENTIFY ${s.password}`);
        let joined = false;
        const join = () => {
          if (!joined && this.#client === client) {
            joined = true;
            client.join(s.channel);
          }
        };
        client.once("loggedin", join);
        this.#later(3000, join);
      } else {
        client.join(s.channel);
      }
    });
    client.on("loggedin", () => {
      loggedIn = true;
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
        this.#log(`irc: joined ${s.channel}`);
        this.#queue.resume();
        for (const w of this.#joinWaiters.splice(0)) w();
      } else {
        this.#members.join(e.nick, e.account || undefined);
      }
    });
    client.on("userlist", (e: IrcEvent) => {
      if (this.#isChannel(e.channel)) this.#members.reset(e.users);
    });
    client.on("part", (e: IrcEvent) => this.#isChannel(e.channel) && this.#left(client, e.nick));
    client.on("kick", (e: IrcEvent) => this.#isChannel(e.channel) && this.#left(client, e.kicked));
    client.on("quit", (e: IrcEvent) => {
      this.#members.leave(e.nick);
      this.#maybeReclaim(client, e.nick);
    });
    client.on("nick", (e: IrcEvent) => {
      this.#members.rename(e.nick, e.new_nick);
      this.#maybeReclaim(client, e.nick);
    });
    client.on("mode", (e: IrcEvent) => {
      if (!this.#isChannel(e.target)) return;
      for (const m of e.modes ?? []) if (m.param) this.#members.mode(m.mode, m.param);
    });
    client.on("account", (e: IrcEvent) => this.#members.setAccount(e.nick, e.account || undefined));
    client.on("privmsg", (e: IrcEvent) => this.#onMessage(client, e));
    // irc-framework hands the socket's error (a refused certificate, say) to "socket close".
    client.on(
      "socket close",
      (err?: Error | false) => err && this.#log(`irc: socket error: ${err.message ?? err}`),
    );
    client.on("close", () => this.#onClose(client));
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
      account: s.password ? { account: s.nick, password: s.password } : {},
      sasl_disconnect_on_fail: false,
    });
    this.#scheduleReclaim(client);
  }

  #isChannel(name: string | undefined): boolean {
    return !!name && name.toLowerCase() === this.#s.channel.toLowerCase();
  }

  #left(client: IrcEvent, nick: string): void {
    if (nick === client.user.nick) {
      this.#joined = false;
      this.#queue.pause();
      this.#log(`irc: left ${this.#s.channel}; joining again in 5 s`);
      this.#later(5000, () => this.#client === client && client.join(this.#s.channel));
    } else {
      this.#members.leave(nick);
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

  #speaker(e: IrcEvent, place: "channel" | "private"): Speaker | string {
    const nick: string = e.nick;
    let id = nick.toLowerCase();
    if (this.#s.requireAccount) {
      const account: string | undefined = e.account || this.#members.get(nick)?.account;
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
    const origin = place === "channel" ? this.#s.channel : e.nick;
    const prefix = place === "channel" ? `${e.nick}: ` : "";
    const say = (t: string) => this.#queue.push(origin, prefix + t);
    const who = this.#speaker(e, place);
    // Help needs no account; everything else does. The reminder to identify
    // takes a turn like any answer, so it cannot flood the channel either.
    const reminder = typeof who === "string" && kind !== "help" ? who : undefined;
    const speaker: Speaker = typeof who !== "string"
      ? who
      : { id: e.nick.toLowerCase(), nick: e.nick, place, op: false, voice: false };
    // Unidentified people get keys no account can have (account names, like
    // nicks, hold no ":"), so nobody can use up an account holder's turns.
    const key = typeof who === "string" ? `nick:${speaker.id}` : speaker.id;
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
        const nick = this.#s.requireAccount ? this.#members.nickOfAccount(r.to) ?? r.to : r.to;
        this.#queue.push(nick, r.text, "notice");
      }
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
