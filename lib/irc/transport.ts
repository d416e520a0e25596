/**
 * irc-framework's socket layer on Deno's own TCP and TLS connections.
 *
 * irc-framework takes its transport as an option; its default one is built
 * on node:net and node:tls (and a SOCKS client), Node's whole socket layer
 * kept resident for one connection. This one speaks the
 * same small interface: `connect`, `writeLine`, `close` and the events
 * `open`, `line` and `close`. Deno cannot skip a certificate check, so a
 * config that turns the check off keeps the default transport.
 */
import { EventEmitter } from "node:events";
import { asError } from "../util/errors.ts";
import { joinBytes } from "../util/bytes.ts";

/** The options irc-framework hands its transport (the ones this one uses). */
interface TransportOptions {
  host: string;
  port?: number;
  tls?: boolean;
  ssl?: boolean;
  /** Seconds; with ping_timeout, how long a silent connection may stay open. */
  ping_interval?: number;
  ping_timeout?: number;
  /** PEM texts, for servers that identify clients by certificate (SASL EXTERNAL, NickServ CERT). */
  client_certificate?: { certificate: string; private_key: string };
}

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

type State = "closed" | "connecting" | "open";

/** One connection to an IRC server, line by line, in UTF-8. */
export class DenoTransport extends EventEmitter {
  #options: TransportOptions;
  #conn: Deno.Conn | undefined;
  #state: State = "closed";
  #error: Error | undefined;
  /** Set when this side closed on purpose: the read that then fails is no error. */
  #closing = false;
  #writes: Promise<void> = Promise.resolve();
  #idle: ReturnType<typeof setTimeout> | undefined;
  #idleMs: number;

  constructor(options: TransportOptions) {
    super();
    this.#options = options;
    const { ping_interval: every = 0, ping_timeout: grace = 0 } = options;
    this.#idleMs = every > 0 && grace > 0 ? (every + grace) * 1000 : 0;
  }

  isConnected(): boolean {
    return this.#state === "open";
  }

  /** Only UTF-8: the bot's replies and IRC's own syntax need nothing else. */
  setEncoding(encoding: string): boolean {
    return encoding.toLowerCase().replace("-", "") === "utf8";
  }

  connect(): void {
    this.disposeSocket();
    this.#state = "connecting";
    this.#error = undefined;
    this.#closing = false;
    void this.#open();
  }

  async #open(): Promise<void> {
    const o = this.#options;
    let conn: Deno.Conn | undefined;
    try {
      conn = await dial(o);
      // A refused certificate shows here, before anything is sent.
      if ("handshake" in conn) await (conn as Deno.TlsConn).handshake();
    } catch (e) {
      try {
        conn?.close(); // the socket under a failed handshake
      } catch { /* already closed */ }
      if (this.#state !== "connecting") return;
      this.#state = "closed";
      this.emit("close", asError(e));
      return;
    }
    if (this.#state !== "connecting") {
      conn.close(); // closed or disposed while it connected
      return;
    }
    this.#conn = conn;
    this.#state = "open";
    this.#touch();
    this.emit("open");
    await this.#read(conn);
  }

  async #read(conn: Deno.Conn): Promise<void> {
    const decoder = new TextDecoder();
    const buf = new Uint8Array(16 * 1024);
    let pending = new Uint8Array(0);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        this.#touch();
        let data = buf.subarray(0, n);
        if (pending.length) data = joinBytes([pending, data]);
        let start = 0;
        for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
          const line = decoder.decode(data.subarray(start, end + 1));
          start = end + 1;
          if (this.#conn !== conn) return; // disposed by a listener
          this.emit("line", line);
        }
        pending = data.slice(start);
      }
    } catch (e) {
      if (this.#conn === conn && !this.#closing) {
        this.#error ??= asError(e);
      }
    }
    if (this.#conn !== conn) return;
    this.#finish(conn);
  }

  #finish(conn: Deno.Conn): void {
    clearTimeout(this.#idle);
    this.#state = "closed";
    this.#conn = undefined;
    try {
      conn.close();
    } catch { /* already closed */ }
    this.emit("close", this.#error ?? false);
  }

  /** A silent connection is dead: close it, as irc-framework's own transport does. */
  #touch(): void {
    if (!this.#idleMs) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.close(true), this.#idleMs);
  }

  writeLine(line: string, cb?: () => void): void {
    const conn = this.#conn;
    if (!conn || this.#state !== "open") {
      this.emit("debug", "DenoTransport writeLine() called when not connected");
      if (cb) setTimeout(cb, 0);
      return;
    }
    const bytes = encoder.encode(line + "\r\n");
    this.#writes = this.#writes.then(async () => {
      try {
        for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
        this.#touch();
      } catch (e) {
        if (this.#conn === conn && !this.#closing) {
          this.#error ??= asError(e);
          this.close(true);
        }
      }
      cb?.();
    });
  }

  /** Ends the connection: at once when `force` (or still connecting), else after what was written. */
  close(force?: boolean): void {
    const conn = this.#conn;
    if (this.#state === "connecting") {
      this.#state = "closed";
      this.emit("close", false);
      return;
    }
    if (!conn) return;
    if (force) {
      // The read loop ends on the closed connection and reports the close.
      this.#closing = true;
      try {
        conn.close();
      } catch { /* already closed */ }
      return;
    }
    // Like socket.end(): no more writes; the server closes, and the read loop sees it.
    void this.#writes.then(() => conn.closeWrite().catch(() => conn.close()));
  }

  /** Drops the connection without telling anyone (irc-framework does this before reconnecting). */
  disposeSocket(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    clearTimeout(this.#idle);
    this.#state = "closed";
    if (conn) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  }
}

function dial(o: TransportOptions): Promise<Deno.Conn> {
  const port = o.port ?? 6667;
  return o.tls || o.ssl
    ? Deno.connectTls({
      hostname: o.host,
      port,
      ...(o.client_certificate
        ? { cert: o.client_certificate.certificate, key: o.client_certificate.private_key }
        : {}),
    })
    : Deno.connect({ hostname: o.host, port });
}
