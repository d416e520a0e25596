/** A real IRC server (Debian's ngircd) for the tests, a small raw IRC client, and the bot started on them. */
import { parseConfig } from "../../lib/app/config.ts";
import { type Program, startProgram } from "../../lib/app/program.ts";
import { NOW, SAMPLE_FILE } from "./fixtures.ts";
import { testCertificate } from "./tls.ts";

/** The channel every IRC test uses. */
export const CHANNEL = "#ptg";

/**
 * The config of a bot on the test IRC server at `ircPort` with the sample
 * event, its store in `dir`, with `more` settings over these.
 */
export function ircConfig(ircPort: number, dir: string, more: Record<string, unknown> = {}) {
  return {
    irc_nick: "ptgbot",
    irc_server: "127.0.0.1",
    irc_port: ircPort,
    irc_tls: false,
    irc_channel: CHANNEL,
    kv_path: `${dir}/s.kv`,
    base: SAMPLE_FILE,
    http_host: "127.0.0.1",
    http_port: 0,
    timezone: "UTC",
    ...more,
  };
}

/** Writes `ircConfig` as `dir/config.json`, for a child program; resolves with its path. */
export async function writeIrcConfig(
  ircPort: number,
  dir: string,
  more: Record<string, unknown> = {},
): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, JSON.stringify(ircConfig(ircPort, dir, more)));
  return path;
}

/**
 * Starts the whole program in this process, on IRC at `ircPort`, with its
 * log lines collected in `logs`; resolves once it is in the channel.
 */
export async function startIrcBot(
  ircPort: number,
  logs: string[],
  extra: Record<string, unknown> = {},
): Promise<Program> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-irc-" });
  const program = await startProgram(
    parseConfig(JSON.stringify(ircConfig(ircPort, dir, { send_interval_ms: 300, ...extra }))),
    { print: (l) => logs.push(l), log: (l) => logs.push(l), now: () => NOW },
  );
  await program.irc!.whenJoined();
  return program;
}

/** Sends a line and returns the bot's answer to that client (in the channel, the line addressed to it). */
export async function ask(client: TestClient, target: string, line: string, bot = "ptgbot"): Promise<string> {
  const since = client.messages.length;
  await client.say(target, line);
  const mine = (m: Msg) =>
    !m.notice &&
    (target === CHANNEL
      ? m.target === CHANNEL && m.text.startsWith(`${client.nick}: `)
      : m.target === client.nick);
  return (await client.next(bot, since, 20_000, mine)).text;
}

/** A free loopback TCP port (bound and released; callers retry on a clash). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (Date.now() > until) throw new Error(`nothing listens on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A running ngircd. */
export interface IrcServer {
  port: number;
  /** The TLS port, when started with `tls`. */
  tlsPort?: number;
  /** With `tls: "ca"`, the certificate of the test CA that signed the server's (PEM file). */
  caFile?: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  restart(): Promise<void>;
}

/**
 * Starts ngircd in the foreground on a free loopback port, and with `tls` a
 * TLS one: its certificate is self-signed, or with `tls: "ca"` signed by a
 * test CA whose certificate is in `caFile`. With `noPenalties`, ngircd does
 * not slow a client down to about three lines a second (a test of hundreds
 * of lines at the bot's own pace).
 */
export async function startIrcServer(
  opts: { tls?: boolean | "ca"; noPenalties?: boolean } = {},
): Promise<IrcServer> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-ngircd-" });
  const port = freePort();
  const conf = `${dir}/ngircd.conf`;
  let ssl = "";
  let tlsPort: number | undefined;
  let caFile: string | undefined;
  if (opts.tls) {
    tlsPort = freePort();
    caFile = await testCertificate(dir, opts.tls === "ca");
    // ngircd reads them after dropping to nobody.
    await Deno.chmod(dir, 0o755);
    await Deno.chmod(`${dir}/key.pem`, 0o644);
    ssl = `[SSL]\nCertFile = ${dir}/cert.pem\nKeyFile = ${dir}/key.pem\nPorts = ${tlsPort}\n`;
  }
  await Deno.writeTextFile(
    conf,
    `[Global]
Name = irc.ptgbot.test
Info = ptgbot test server
Listen = 127.0.0.1
Ports = ${port}
ServerUID = nobody
ServerGID = nogroup
MotdPhrase = "test server"
[Limits]
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
PingTimeout = 120
PongTimeout = 20
${opts.noPenalties ? "MaxPenaltyTime = 0\n" : ""}[Options]
PAM = no
Ident = no
DNS = no
${ssl}`,
  );
  let proc: Deno.ChildProcess | undefined;
  const start = async () => {
    proc = new Deno.Command("ngircd", {
      args: ["-n", "-f", conf],
      stdout: "null",
      stderr: "null",
      stdin: "null",
    })
      .spawn();
    await waitForPort(port);
    if (tlsPort) await waitForPort(tlsPort);
  };
  const stop = async () => {
    if (!proc) return;
    try {
      proc.kill("SIGKILL");
    } catch { /* gone */ }
    await proc.status;
    proc = undefined;
  };
  await start();
  return { port, tlsPort, caFile, stop, restart: start };
}

/** A PRIVMSG or NOTICE as a test client saw it. */
export interface Msg {
  from: string;
  target: string;
  text: string;
  /** Set for a NOTICE. */
  notice?: true;
}

/** A minimal IRC client that speaks the protocol by hand. */
export class TestClient {
  nick: string;
  #conn!: Deno.TcpConn;
  #buf = "";
  #msgs: Msg[] = [];
  #raw: string[] = [];
  #waiters: { test: () => boolean; resolve: () => void }[] = [];
  #enc = new TextEncoder();

  private constructor(nick: string) {
    this.nick = nick;
  }

  /** Connects, registers and (optionally) joins a channel. */
  static async connect(port: number, nick: string, channel?: string): Promise<TestClient> {
    const c = new TestClient(nick);
    c.#conn = await Deno.connect({ hostname: "127.0.0.1", port });
    void c.#read();
    await c.send(`NICK ${nick}`);
    await c.send(`USER ${nick} 0 * :${nick}`);
    await c.until(() => c.#raw.some((l) => / 001 /.test(l)));
    if (channel) await c.join(channel);
    return c;
  }

  async join(channel: string): Promise<void> {
    await this.send(`JOIN ${channel}`);
    await this.until(() => this.#raw.some((l) => / 366 \S+ /.test(l) && l.toLowerCase().includes(channel)));
  }

  async #read(): Promise<void> {
    const dec = new TextDecoder();
    try {
      for await (const chunk of this.#conn.readable) {
        this.#buf += dec.decode(chunk, { stream: true });
        let i: number;
        while ((i = this.#buf.indexOf("\r\n")) >= 0) {
          const line = this.#buf.slice(0, i);
          this.#buf = this.#buf.slice(i + 2);
          this.#line(line);
        }
      }
    } catch { /* closed */ }
  }

  #line(line: string): void {
    this.#raw.push(line);
    if (line.startsWith("PING")) void this.send(`PONG ${line.slice(5)}`);
    const m = /^:([^! ]+)\S* (PRIVMSG|NOTICE) (\S+) :(.*)$/.exec(line);
    if (m) {
      this.#msgs.push({
        from: m[1],
        target: m[3],
        text: m[4],
        ...(m[2] === "NOTICE" ? { notice: true } : {}),
      });
    }
    for (const w of [...this.#waiters]) {
      if (w.test()) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  send(line: string): Promise<void> {
    return this.#conn.write(this.#enc.encode(line + "\r\n")).then(() => {});
  }

  /** Writes raw bytes (for lines that are not valid UTF-8). */
  sendBytes(bytes: Uint8Array): Promise<void> {
    return this.#conn.write(bytes).then(() => {});
  }

  say(target: string, text: string): Promise<void> {
    return this.send(`PRIVMSG ${target} :${text}`);
  }

  /** Messages received so far. */
  get messages(): Msg[] {
    return this.#msgs;
  }

  get raw(): string[] {
    return this.#raw;
  }

  /** Waits until `test()` holds. */
  until(test: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        reject(new Error(`${this.nick}: timed out; last lines:\n${this.#raw.slice(-8).join("\n")}`));
      }, timeoutMs);
      const w = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(w);
    });
  }

  /** Waits for the next message from `from` after index `since` (that `match` accepts); returns it. */
  async next(
    from: string,
    since: number,
    timeoutMs = 15_000,
    match: (m: Msg) => boolean = () => true,
  ): Promise<Msg> {
    const find = () =>
      this.#msgs.slice(since).find((m) => m.from.toLowerCase() === from.toLowerCase() && match(m));
    await this.until(() => find() !== undefined, timeoutMs);
    return find()!;
  }

  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }
}

/** A TCP proxy in front of the IRC server that can turn into a black hole (nothing answers). */
export interface Proxy {
  port: number;
  /** While on, every byte either way is swallowed and new connections go nowhere. */
  blackhole(on: boolean): void;
  close(): void;
}

/** Starts a loopback proxy to `targetPort`. */
export function startProxy(targetPort: number): Proxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let holed = false;
  const open = new Set<Deno.Conn>();
  const pump = async (from: Deno.Conn, to: Deno.Conn | undefined, dead: () => boolean) => {
    const buf = new Uint8Array(16 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        if (!dead() && to) await to.write(buf.subarray(0, n));
      }
    } catch { /* closed */ }
    for (const c of [from, to]) {
      try {
        c?.close();
      } catch { /* closed */ }
    }
  };
  void (async () => {
    try {
      for await (const conn of listener) {
        open.add(conn);
        if (holed) {
          // A connection into the void: accepted, never answered.
          void pump(conn, undefined, () => true);
          continue;
        }
        const upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort }).catch(() =>
          undefined
        );
        if (!upstream) {
          conn.close();
          continue;
        }
        open.add(upstream);
        // A connection that lived through a black hole stays dead, as a real blackholed route would.
        let swallowed = false;
        const dead = () => (swallowed ||= holed);
        void pump(conn, upstream, dead);
        void pump(upstream, conn, dead);
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    blackhole: (on) => (holed = on),
    close() {
      listener.close();
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}
