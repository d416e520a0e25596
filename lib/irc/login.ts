/**
 * Logging in to services on one connection: SASL (PLAIN with the password,
 * EXTERNAL with a client certificate) driven by irc-framework during
 * registration, NickServ `IDENTIFY` only where the server offers no SASL,
 * one log line for how it went, and a held nick taken back through NickServ.
 *
 * The password is sent once: a refused SASL login is never followed by an
 * IDENTIFY, the bot (see `refused`) does not send a refused password on later
 * connections, and it never appears in a log line.
 *
 * @module
 */
import { guarded } from "../util/boundary.ts";
import { errorText } from "../util/errors.ts";
import { type IrcClient, listen } from "./client_types.ts";
import type { IrcSettings } from "./settings.ts";
import { stripFormatting } from "./text.ts";

/** Who the bot logs in as. */
export interface LoginSettings {
  nick: string;
  /** The services account (default: the nick). */
  account?: string;
  password?: string;
  /** PEM texts of a client certificate and its key: SASL EXTERNAL. */
  certificate?: { cert: string; key: string };
  /** How long services get to answer before the bot goes on without them (default 10 s). */
  answerMs?: number;
}

const ANSWER_MS = 10_000;

/** The part of irc-framework's connect options that concerns logging in. */
export function loginOptions(s: LoginSettings): Record<string, unknown> {
  if (s.certificate) {
    return {
      sasl_mechanism: "EXTERNAL",
      client_certificate: { certificate: s.certificate.cert, private_key: s.certificate.key },
      // An account object without credentials: irc-framework then never sends a password over SASL.
      account: {},
    };
  }
  return { account: s.password ? { account: s.account ?? s.nick, password: s.password } : {} };
}

/** Where login stands on one connection: in registration, waiting for services after it, or decided. */
type State = "sasl" | "waiting" | "done";

/** Follows login on one irc-framework client; `settled` resolves once it is decided either way. */
export class Login {
  #client: IrcClient;
  #s: LoginSettings;
  #log: (line: string) => void;
  #state: State = "sasl";
  /** How a login that arrives now came about, for the log line. */
  #how = "";
  #saslFailure: string | undefined;
  #saslMissing = false;
  #account: string | undefined;
  #settle!: () => void;
  /** Logged at the end: a later login then says so in a line of its own. */
  #failed = false;
  #refused = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #regain: "REGAIN" | "GHOST" | undefined;
  #registered = false;
  /** The nick we have now (irc-framework updates its own only after its listeners ran). */
  #nick = "";
  /** Resolves once logged in or failed (the bot then joins its channel). */
  readonly settled: Promise<void>;

  constructor(client: IrcClient, settings: LoginSettings, log: (line: string) => void) {
    this.#client = client;
    this.#s = settings;
    this.#log = log;
    this.settled = new Promise((r) => (this.#settle = r));
    listen(client, "loggedin", (e) => this.#loggedIn(e.account), log);
    listen(client, "sasl failed", (e) => this.#saslFailed(e), log);
    // Services that never answer SASL would hold registration until the server gives up on us:
    // after a while, abort it and end capability negotiation, so that registration goes on.
    listen(client, "raw", (e) => {
      if (e.from_server || !/^AUTHENTICATE (PLAIN|EXTERNAL)\b/i.test(e.line)) return;
      this.#wait(() => {
        if (this.#registered || this.#account || this.#saslFailure) return;
        this.#saslFailure = `no answer to ${this.#mechanism} (services down or slow)`;
        client.raw("AUTHENTICATE *");
        if (client.network?.cap) client.network.cap.negotiating = false;
        client.raw("CAP END");
      });
    }, log);
    listen(client, "nick", (e) => {
      if (e.nick.toLowerCase() === this.#nick.toLowerCase()) this.#nick = e.new_nick;
    }, log);
    listen(client, "irc error", (e) => {
      if (e.error === "no_such_nick" && e.nick?.toLowerCase() === "nickserv" && this.#state === "waiting") {
        this.#finish("irc: login failed: this network has no NickServ (and offers no SASL)");
      }
    }, log);
    listen(client, "notice", (e) => {
      if (e.nick?.toLowerCase() === "nickserv") this.#fromNickServ(stripFormatting(e.message));
    }, log);
  }

  /** True once services refused the password itself (not for want of an answer). */
  get refused(): boolean {
    return this.#refused;
  }

  /** The account logged in to on this connection, if any. */
  get account(): string | undefined {
    return this.#account;
  }

  get #mechanism(): string {
    return this.#s.certificate ? "SASL EXTERNAL" : "SASL PLAIN";
  }

  get #wanted(): boolean {
    return !!(this.#s.password || this.#s.certificate);
  }

  #loggedIn(account: string): void {
    clearTimeout(this.#timer);
    const known = this.#account?.toLowerCase() === account.toLowerCase();
    this.#account = account;
    // Before the welcome, `registered` reports it.
    if (!this.#registered) return;
    if (this.#state === "done") {
      // Services that finished after the bot gave up on them: worth a line, and the nick.
      if (this.#failed && !known) {
        this.#failed = false;
        this.#log(`irc: logged in as ${account} (services answered late)`);
        this.#takeNickBack();
      }
      return;
    }
    this.#finish(`irc: logged in as ${account} (${this.#how})`);
  }

  #saslFailed(e: { reason: string; message?: string }): void {
    const server = e.message ? `: ${e.message}` : "";
    if (this.#saslFailure) return; // the first reason is the one (a later 904 after our abort, say)
    switch (e.reason) {
      case "capability_missing":
        this.#saslMissing = true;
        return;
      case "unsupported_mechanism": {
        const offered = this.#client.network?.cap?.available?.get("sasl") || "none";
        this.#saslFailure = `${this.#mechanism} is not offered by the server (it offers ${offered})`;
        return;
      }
      case "nick_locked":
        this.#saslFailure = `${this.#mechanism} refused: the account is locked${server}`;
        return;
      default:
        this.#refused = !this.#s.certificate;
        this.#saslFailure = this.#s.certificate
          ? `SASL EXTERNAL refused: the certificate is on no account (add its fingerprint with NickServ CERT ADD)${server}`
          : `SASL PLAIN refused for account ${this.#s.account ?? this.#s.nick}${server}`;
    }
  }

  /** Called on the server's welcome, with the nick it gave: decides what else login needs. */
  registered(nick: string): void {
    this.#registered = true;
    this.#nick = nick;
    this.#how = this.#mechanism;
    if (this.#state === "done") return this.#takeNickBack();
    if (!this.#wanted) return this.#finish(undefined);
    if (this.#account) return this.#finish(`irc: logged in as ${this.#account} (${this.#mechanism})`);
    if (this.#saslFailure) {
      if (!/refused for account/.test(this.#saslFailure)) {
        return this.#finish(`irc: login failed: ${this.#saslFailure}`);
      }
      // Which of the two it was: NickServ's INFO says whether the account exists (no password involved).
      this.#state = "waiting";
      this.#saslFailure += "; ";
      this.#client.say("NickServ", `INFO ${this.#s.account ?? this.#s.nick}`);
      this.#wait(() =>
        this.#finish(`irc: login failed: ${this.#saslFailure}wrong password or no such account`)
      );
      return;
    }
    if (!this.#saslMissing) {
      // SASL was offered and nothing came back before the welcome: services may still answer.
      this.#state = "waiting";
      this.#wait(() => this.#finish(`irc: login failed: no answer to ${this.#mechanism}`));
      return;
    }
    if (!this.#s.password) {
      // Some services recognise a certificate on their own once the client is on the network.
      this.#state = "waiting";
      this.#how = "services, by certificate";
      this.#wait(() =>
        this.#finish(
          "irc: login failed: the server offers no SASL and services did not recognise the certificate",
        )
      );
      return;
    }
    this.#state = "waiting";
    this.#how = "NickServ IDENTIFY";
    // `IDENTIFY password` means the current nick's account everywhere; naming another account
    // first is Atheme's and Anope's order (OFTC's services take `IDENTIFY password nick`).
    const account = this.#s.account ?? this.#s.nick;
    const named = account.toLowerCase() === nick.toLowerCase() ? "" : `${account} `;
    this.#client.say("NickServ", `IDENTIFY ${named}${this.#s.password}`);
    this.#wait(() => this.#finish("irc: login failed: NickServ did not answer IDENTIFY"));
  }

  #wait(onTimeout: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      guarded("irc: waiting for services", onTimeout, this.#log),
      this.#s.answerMs ?? ANSWER_MS,
    );
  }

  #fromNickServ(text: string): void {
    if (this.#regain) return this.#regainAnswer(text);
    if (this.#state !== "waiting") return;
    const account = this.#s.account ?? this.#s.nick;
    if (this.#saslFailure) {
      if (/is not registered|not a registered/i.test(text)) {
        this.#finish(`irc: login failed: ${this.#saslFailure}no such account ${account}`);
      } else if (/^information on/i.test(text)) {
        this.#finish(`irc: login failed: ${this.#saslFailure}wrong password`);
      }
      return;
    }
    if (/invalid password|password (is )?incorrect|wrong password/i.test(text)) {
      this.#refused = true;
      this.#finish(`irc: login failed: NickServ IDENTIFY refused: wrong password for account ${account}`);
    } else if (/is not registered|not a registered|isn't registered|no such (account|nick)/i.test(text)) {
      this.#refused = true;
      this.#finish(`irc: login failed: NickServ IDENTIFY refused: no such account ${account}`);
    } else if (
      /you are (now|successfully) (identified|logged in)|automatically identified|you are already logged in/i
        .test(text)
    ) {
      // The 900 numeric usually comes with it; this covers services that send only the notice.
      this.#loggedIn(account);
    }
  }

  #finish(line: string | undefined): void {
    clearTimeout(this.#timer);
    if (this.#state === "done") return;
    this.#state = "done";
    this.#failed = !!line?.startsWith("irc: login failed");
    if (line) this.#log(line);
    this.#takeNickBack();
    this.#settle();
  }

  /** Logged in under another nick: the nick is held (by our own ghost, say); services can free it. */
  #takeNickBack(): void {
    const c = this.#client;
    if (!this.#account || this.#regain || !this.#nick) return;
    if (this.#nick.toLowerCase() === this.#s.nick.toLowerCase()) return;
    this.#regain = "REGAIN";
    this.#log(`irc: ${this.#s.nick} is held; taking it back through NickServ REGAIN`);
    c.say("NickServ", `REGAIN ${this.#s.nick}`);
  }

  #regainAnswer(text: string): void {
    const c = this.#client;
    if (/unknown command|invalid command|not a valid command/i.test(text) && this.#regain === "REGAIN") {
      this.#regain = "GHOST";
      this.#log("irc: NickServ has no REGAIN; trying GHOST");
      c.say("NickServ", `GHOST ${this.#s.nick}`);
    } else if (/ghosted|regained|has been (killed|disconnected|released)|recovered/i.test(text)) {
      this.#regain = undefined;
      if (this.#nick.toLowerCase() !== this.#s.nick.toLowerCase()) c.changeNick(this.#s.nick);
    } else if (/not online|isn't online|is not in use|not authorized|not authorised|denied/i.test(text)) {
      this.#regain = undefined;
      this.#log(`irc: NickServ would not free ${this.#s.nick}: ${text}`);
    }
  }

  /** Stops waiting for answers (the connection is gone). */
  close(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * What each connection logs in with, assembled from the settings: the
 * password until services refused it (it is not sent again until a
 * restart), and the client certificate, read afresh for every connection
 * so that a renewed one is picked up.
 */
export class Credentials {
  #s: IrcSettings;
  #log: (line: string) => void;
  #keyWarned = false;
  /** Services refused irc_pass: it is not sent again until a restart (with a corrected one). */
  #passwordRefused = false;

  constructor(settings: IrcSettings, log: (line: string) => void) {
    this.#s = settings;
    this.#log = log;
  }

  /** Services refused the password on a connection (see `Login.refused`). */
  refused(): void {
    this.#passwordRefused = true;
  }

  /** What the next connection logs in with. */
  async read(): Promise<LoginSettings> {
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
}
