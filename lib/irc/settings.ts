/**
 * What the IRC side is configured with (the config's `irc_*` keys), and the
 * one rule for telling the event channel's name.
 *
 * @module
 */

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

/** True when `name` is the configured channel (channel names compare without case). */
export function isChannel(s: Pick<IrcSettings, "channel">, name: string | undefined): boolean {
  return !!name && name.toLowerCase() === s.channel.toLowerCase();
}
