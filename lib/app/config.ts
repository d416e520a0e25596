/** The config file: the original's keys plus ours, checked before anything starts. */
import { isTimeZone, systemTimeZone } from "../state/clock.ts";
import { isWebUrl } from "../state/validate.ts";
import type { IrcSettings } from "../irc/bot.ts";

// A handful of flat keys: checked by hand, so that start-up need not load a
// schema library (zod checks event documents, loaded when one comes in).
type Check = (v: unknown) => string | undefined;

const text = (test?: (s: string) => string | undefined): Check => (v) =>
  typeof v !== "string" ? "must be a string" : test?.(v);
const matching = (re: RegExp, what: string): Check => text((s) => (re.test(s) ? undefined : what));
const whole = (min: number, max: number): Check => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max
    ? undefined
    : `must be a whole number from ${min} to ${max}`;
const flag: Check = (v) => (typeof v === "boolean" ? undefined : "must be true or false");
const nonEmpty = text((s) => (s ? undefined : "must not be empty"));
const url = text((s) => (isWebUrl(s) ? undefined : "not an http(s) URL"));
const NICK = /^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,29}$/;

const KEYS: Record<string, Check> = {
  irc_nick: matching(NICK, "not an IRC nick"),
  irc_pass: text((s) => (s.length <= 200 ? undefined : "too long")),
  irc_server: matching(/^[^\s/]{1,255}$/, "a host name, without scheme"),
  irc_port: whole(1, 65535),
  irc_tls: flag,
  irc_tls_verify: flag,
  irc_channel: matching(/^[#&][^\s,\x07]{1,49}$/, "a channel such as #event"),
  irc_fallback_nick: matching(NICK, "not an IRC nick"),
  require_account: flag,
  send_burst: whole(1, 50),
  send_interval_ms: whole(50, 10_000),
  user_burst: whole(1, 1000),
  user_interval_ms: whole(1, 60_000),
  irc_ping_interval: whole(5, 600),
  irc_ping_timeout: whole(5, 600),
  db_filename: nonEmpty,
  kv_path: nonEmpty,
  base: nonEmpty,
  http_host: nonEmpty,
  http_port: whole(0, 65535),
  timezone: text((s) => (isTimeZone(s) ? undefined : "not a time zone this runtime knows")),
  etherpad_base: url,
  help_url: url,
  console: flag,
  lease_ms: whole(1000, 600_000),
};

/** The config file's keys, as written. */
interface RawConfig {
  irc_nick?: string;
  irc_pass?: string;
  irc_server?: string;
  irc_port?: number;
  irc_tls?: boolean;
  irc_tls_verify?: boolean;
  irc_channel?: string;
  irc_fallback_nick?: string;
  require_account?: boolean;
  send_burst?: number;
  send_interval_ms?: number;
  user_burst?: number;
  user_interval_ms?: number;
  irc_ping_interval?: number;
  irc_ping_timeout?: number;
  db_filename?: string;
  kv_path?: string;
  base?: string;
  http_host?: string;
  http_port?: number;
  timezone?: string;
  etherpad_base?: string;
  help_url?: string;
  console?: boolean;
  lease_ms?: number;
}

/** The settings of one run, with defaults filled in. */
export interface Config {
  irc?: IrcSettings & {
    userBurst: number;
    userIntervalMs: number;
    pingIntervalS: number;
    pingTimeoutS: number;
  };
  dbFilename?: string;
  kvPath: string;
  /** A base event file to load into an empty store; undefined: the embedded sample. */
  base?: string;
  httpHost: string;
  httpPort: number;
  timeZone: string;
  etherpadBase: string;
  helpUrl?: string;
  console: boolean;
  /** How long the IRC leadership lease lasts without renewal. */
  leaseMs: number;
}

/** The settings with no config file: everything local, the console on. */
export function defaultConfig(): Config {
  return {
    kvPath: "ptgbot.kv",
    httpHost: "127.0.0.1",
    httpPort: 8000,
    timeZone: systemTimeZone(),
    etherpadBase: "https://etherpad.opendev.org/p/",
    console: true,
    leaseMs: 5000,
  };
}

/** Parses a config file's text; throws an Error whose message is one line naming the problem. */
export function parseConfig(text: string, warn: (line: string) => void = console.warn): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`config: not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error("config: the file must hold one JSON object");
  }
  for (const [key, value] of Object.entries(raw)) {
    const check = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (!check) {
      warn(`config: unknown key "${key}" ignored`);
      continue;
    }
    const problem = check(value);
    if (problem) throw new Error(`config: bad value for "${key}": ${problem}`);
  }
  const c = raw as RawConfig;
  const config = defaultConfig();
  config.console = c.console ?? false;
  if (c.kv_path) config.kvPath = c.kv_path;
  if (c.db_filename) config.dbFilename = c.db_filename;
  if (c.base) config.base = c.base;
  if (c.http_host) config.httpHost = c.http_host;
  if (c.http_port !== undefined) config.httpPort = c.http_port;
  if (c.timezone) config.timeZone = c.timezone;
  if (c.etherpad_base) config.etherpadBase = c.etherpad_base;
  if (c.help_url) config.helpUrl = c.help_url;
  if (c.lease_ms) config.leaseMs = c.lease_ms;
  const ircKeys = [c.irc_nick, c.irc_server, c.irc_channel];
  if (ircKeys.some((v) => v !== undefined)) {
    if (!c.irc_nick || !c.irc_server || !c.irc_channel) {
      const missing = ["irc_nick", "irc_server", "irc_channel"].find((k) =>
        (c as Record<string, unknown>)[k] === undefined
      );
      throw new Error(`config: "${missing}" is needed to connect to IRC`);
    }
    const port = c.irc_port ?? (c.irc_tls === false ? 6667 : 6697);
    config.irc = {
      nick: c.irc_nick,
      fallbackNick: c.irc_fallback_nick ?? `${c.irc_nick.slice(0, 28)}_`,
      password: c.irc_pass || undefined,
      server: c.irc_server,
      port,
      tls: c.irc_tls ?? port === 6697,
      tlsVerify: c.irc_tls_verify ?? true,
      channel: c.irc_channel,
      requireAccount: c.require_account ?? false,
      sendBurst: c.send_burst ?? 4,
      sendIntervalMs: c.send_interval_ms ?? 700,
      userBurst: c.user_burst ?? 8,
      userIntervalMs: c.user_interval_ms ?? 1000,
      pingIntervalS: c.irc_ping_interval ?? 30,
      pingTimeoutS: c.irc_ping_timeout ?? 90,
    };
  }
  return config;
}
