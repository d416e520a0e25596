/**
 * The config file: every key once, with its check, its default and what it
 * means (the docs' configuration table is made from the same table, and a
 * test keeps them equal), checked before anything starts.
 *
 * @module
 */
import { isWebUrl } from "../state/validate.ts";
import { DEFAULT_ETHERPAD_BASE, isTimeZone } from "../shared/rules.js";
import { isAllowEntry } from "../fetch/addresses.ts";
import type { IrcSettings } from "../irc/bot.ts";
import { errorText } from "../util/errors.ts";
import { unbracket } from "../util/ipv6_brackets.ts";

// A handful of flat keys: checked by hand, so that start-up need not load a
// schema library (zod checks event documents, loaded when one comes in).

/**
 * A key's check: the problem with a value, or undefined when the value is a
 * `T`. `T` is never stored; it only carries the value's type from the check
 * to the key, so that the table says each key's type once.
 */
export type Check<T> = ((v: unknown) => string | undefined) & { readonly valueType?: T };

const text = (test?: (s: string) => string | undefined): Check<string> => (v) =>
  typeof v !== "string" ? "must be a string" : test?.(v);
const matching = (re: RegExp, what: string): Check<string> => text((s) => (re.test(s) ? undefined : what));
const whole = (min: number, max: number): Check<number> => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max
    ? undefined
    : `must be a whole number from ${min} to ${max}`;
const flag: Check<boolean> = (v) => (typeof v === "boolean" ? undefined : "must be true or false");
const nonEmpty = text((s) => (s ? undefined : "must not be empty"));
const url = text((s) => (isWebUrl(s) ? undefined : "not an http(s) URL"));
const list = (item: (s: string) => boolean, what: string): Check<string[]> => (v) =>
  Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === "string" && item(x))
    ? undefined
    : `must be a list of ${what}`;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const NICK = /^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,29}$/;
/** Listening on every address: a bind address, never one to hand out. */
const WILDCARD = new Set(["", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"]);
const publicUrl = text((s) => {
  if (!isWebUrl(s)) return "not an http(s) URL";
  const u = new URL(s);
  if (WILDCARD.has(u.hostname)) return `${u.hostname} listens on every address; give the name attendees use`;
  return u.search || u.hash ? "no query or fragment: the page's address only" : undefined;
});

/**
 * The time zone the process runs in: TZ, else the host's zone file, else
 * what the runtime says (which loads the time zone data, a few MiB).
 */
function systemTimeZone(): string {
  const tz = Deno.env.get("TZ");
  if (tz && !tz.startsWith(":")) return tz;
  try {
    const link = Deno.readLinkSync("/etc/localtime");
    const zone = link.split("/zoneinfo/")[1];
    if (zone) return zone;
  } catch { /* not a link, or no such file */ }
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/** The types a config value may have. */
export type ConfigValue = string | number | boolean | string[];

/** One key of the config file, whose values are `T`. */
export interface ConfigKey<T extends ConfigValue = ConfigValue> {
  check: Check<T>;
  /** The value when the key is absent, where it is a plain value. */
  default?: T;
  /** The default in words, where it depends on other keys or on the host. */
  defaultText?: string;
  doc: string;
}

/** The value type a key's check yields. */
type ValueOf<S> = S extends { check: Check<infer T> } ? T : never;

/** The table, each key's default required to be of its check's type. */
type KeyTable<T> = { [K in keyof T]: ConfigKey<ValueOf<T[K]> & ConfigValue> };

/** The key table as written, checked against its own checks' types. */
const keyTable = <T extends Record<string, ConfigKey>>(table: T & KeyTable<T>): T => table;

/** Every key of the config file, in the order the docs list them. */
export const CONFIG_KEYS = keyTable({
  irc_nick: {
    check: matching(NICK, "not an IRC nick"),
    doc: "the bot's nick; with the next two, all needed to connect",
  },
  irc_server: {
    check: matching(/^[^\s/]{1,255}$/, "a host name, without scheme"),
    doc: "the IRC server's host",
  },
  irc_channel: {
    check: matching(/^[#&][^\s,\x07]{1,49}$/, "a channel such as #event"),
    doc: "the event channel",
  },
  irc_port: { check: whole(1, 65535), defaultText: "6697 (6667 with `irc_tls: false`)", doc: "server port" },
  irc_tls: {
    check: flag,
    defaultText: "on for port 6697",
    doc: "TLS with certificate checks (a server signed by a private CA: start with `DENO_CERT=ca.pem`)",
  },
  irc_tls_verify: {
    check: flag,
    default: true,
    doc: "false only for a private server with a self-signed certificate (logged as such)",
  },
  irc_pass: {
    check: text((s) => (s.length <= 200 ? undefined : "too long")),
    doc:
      "services password: SASL PLAIN when the server offers it, else `IDENTIFY` to NickServ (only where no SASL is offered); once refused, not sent again until a restart; never logged",
  },
  irc_account: {
    check: matching(/^[^\s\x00]{1,100}$/, "an account name, without spaces"),
    defaultText: "the nick",
    doc: "the services account to log in to, where it differs from the nick",
  },
  irc_cert_file: {
    check: nonEmpty,
    doc:
      "a client certificate (PEM) whose fingerprint is registered with NickServ `CERT ADD`: the bot logs in with SASL EXTERNAL instead of the password",
  },
  irc_key_file: {
    check: nonEmpty,
    defaultText: "`irc_cert_file` (one file holding both)",
    doc: "the certificate's private key (PEM)",
  },
  irc_fallback_nick: {
    check: matching(NICK, "not an IRC nick"),
    defaultText: "the nick and `_`",
    doc: "used while the nick is taken; the bot takes its nick back when it frees",
  },
  require_account: {
    check: flag,
    default: false,
    doc:
      "key people by their services account instead of their nick (learnt from `account-tag`, WHOX on joining with `account-notify` and `extended-join`, else one WHOIS per nick); unidentified users are told to identify",
  },
  send_burst: { check: whole(1, 50), default: 4, doc: "outgoing lines sent at once before the pace below" },
  send_interval_ms: {
    check: whole(50, 10_000),
    default: 700,
    doc: "then one outgoing line per this many ms",
  },
  user_burst: { check: whole(1, 1000), default: 8, doc: "commands one person may send at once" },
  user_interval_ms: {
    check: whole(1, 60_000),
    default: 1000,
    doc: "then one of that person's commands per this many ms; more wait in a queue of 20, in order",
  },
  irc_ping_interval: { check: whole(5, 600), default: 30, doc: "seconds between pings to the server" },
  irc_ping_timeout: {
    check: whole(5, 600),
    default: 90,
    doc: "seconds without an answer before the link is dropped and made again",
  },
  kv_path: { check: nonEmpty, default: "ptgbot.kv", doc: "the Deno KV file holding the state" },
  base: {
    check: nonEmpty,
    doc:
      "an event document loaded when the store is empty; without it a store starts empty (the sample event is for the no-config demo only)",
  },
  db_filename: {
    check: nonEmpty,
    doc:
      "also write the public `ptg.json` here after every change (atomically), for sites that serve it with another web server",
  },
  http_host: { check: nonEmpty, default: "127.0.0.1", doc: "where the web server listens" },
  http_port: {
    check: whole(0, 65535),
    defaultText: "8000; 80 with HTTPS on",
    doc:
      "its port (0: any free port); with HTTPS on it answers ACME's http-01 challenge and redirects the rest to HTTPS",
  },
  https_domains: {
    check: list((s) => DOMAIN.test(s), "DNS names (event.example.org)"),
    defaultText: "none (HTTPS off)",
    doc:
      "the site's names: turns HTTPS on, with a certificate for them from the ACME directory below (unless `https_cert_file` is set); plain HTTP redirects to the first",
  },
  acme_email: {
    check: matching(/^[^\s@]+@[^\s@]+$/, "an email address"),
    doc: "contact address given to the ACME directory (expiry warnings)",
  },
  acme_directory: {
    check: url,
    default: "https://acme-v02.api.letsencrypt.org/directory",
    doc: "the ACME directory (Let's Encrypt's); its CA is trusted through the system store or `DENO_CERT`",
  },
  https_port: { check: whole(0, 65535), default: 443, doc: "the HTTPS port (h2 and http/1.1)" },
  https_cert_file: {
    check: nonEmpty,
    doc: "your own certificate chain (PEM) instead of ACME; with `https_key_file`; read at start",
  },
  https_key_file: { check: nonEmpty, doc: "the private key (PEM) of `https_cert_file`" },
  timezone: {
    check: text((s) =>
      isTimeZone(s)
        ? undefined
        : "not a time zone: give an IANA name (Area/City such as Europe/Berlin, or UTC)"
    ),
    defaultText: "the system's",
    doc: "the event's IANA time zone: which day is today, and timestamps",
  },
  fetch_allow: {
    check: list(isAllowEntry, "host names, addresses or networks (10.0.0.0/8)"),
    defaultText: "none",
    doc:
      "hosts, addresses and networks `~fetchdb` may reach although they are not public (an internal pastebin); everything else private, loopback or link-local is refused before connecting",
  },
  etherpad_base: { check: url, default: DEFAULT_ETHERPAD_BASE, doc: "base of generated etherpad URLs" },
  public_url: {
    check: publicUrl,
    defaultText: "none",
    doc:
      "the page's address as attendees open it without the bot's own HTTPS (`http://ptg.example.org:8000`, or a reverse proxy's `https://example.org/ptg`): every link the bot hands out starts with it. With HTTPS on, links use `https://` and the first of `https_domains` instead. With neither, they use `http_host:http_port` (`127.0.0.1` for `0.0.0.0`, `[::1]` for `::`) and an IRC start warns",
  },
  help_url: {
    check: url,
    defaultText: "the public address's `/ptg.html#help`",
    doc: "what `help` answers with",
  },
  console: {
    check: flag,
    defaultText: "false with a config file",
    doc: "read commands from standard input, as an operator",
  },
  metrics_token: {
    check: text((s) =>
      /^[\x21-\x7e]{16,200}$/.test(s) ? undefined : "16 to 200 printable characters, no spaces"
    ),
    defaultText: "none: `/metrics` answers loopback clients only",
    doc:
      "a secret for `/metrics`: when set, it answers anyone sending `Authorization: Bearer TOKEN` and no one else (loopback included)",
  },
  reminder_minutes: {
    check: whole(0, 120),
    default: 5,
    doc:
      "followers (`+follow`) get a private notice this many minutes before each slot of their tracks starts; 0: no such reminder (the notice at the start stays)",
  },
  announce_starts: {
    check: flag,
    default: false,
    doc: "also say in the channel, at each slot start, which tracks start where",
  },
  lease_ms: {
    check: whole(1000, 600_000),
    default: 5000,
    doc: "how long the IRC leadership lease lasts without renewal",
  },
});

type Keys = typeof CONFIG_KEYS;
type Key = keyof Keys;
/** What a key holds: its check's type, and undefined where the key may be absent with no plain default. */
type Value<K extends Key> = Keys[K] extends { default: unknown } ? ValueOf<Keys[K]>
  : ValueOf<Keys[K]> | undefined;
/** The config file as checked: each present key of its type. */
type Raw = { [K in Key]?: ValueOf<Keys[K]> };
/** A key's value, or its plain default when absent. */
type Get = <K extends Key>(key: K) => Value<K>;

/** HTTPS: a certificate from an ACME directory, or the organiser's own files. */
export interface HttpsSettings {
  domains: string[];
  port: number;
  email?: string;
  directory: string;
  certFile?: string;
  keyFile?: string;
}

/** The settings of one run, with defaults filled in. */
export interface Config {
  irc?: IrcSettings;
  dbFilename?: string;
  kvPath: string;
  /** An event document to load into an empty store. */
  base?: string;
  /**
   * Load the embedded sample event, moved to start today, into an empty
   * store: the no-config demo only, so that a real event never starts with
   * a fake one.
   */
  sample: boolean;
  httpHost: string;
  httpPort: number;
  /** HTTPS, when the config turns it on. */
  https?: HttpsSettings;
  timeZone: string;
  etherpadBase: string;
  /** What `~fetchdb` may reach besides the public internet. */
  fetchAllow: string[];
  helpUrl?: string;
  /** The page's address as attendees open it, without a trailing slash. */
  publicUrl?: string;
  console: boolean;
  /** How long the IRC leadership lease lasts without renewal. */
  leaseMs: number;
  /** Minutes before a slot for followers' reminders; 0 turns them off. */
  reminderMinutes: number;
  /** Announce slot starts in the channel. */
  announceStarts: boolean;
  /** The Bearer token /metrics asks for; without it, loopback clients only. */
  metricsToken?: string;
}

function httpsSettings(raw: Raw, get: Get): HttpsSettings | undefined {
  const domains = raw.https_domains ?? [];
  const certFile = get("https_cert_file");
  const keyFile = get("https_key_file");
  if (!certFile !== !keyFile) throw new Error('config: "https_cert_file" and "https_key_file" go together');
  if (!certFile && domains.length === 0) {
    const stray = (["acme_email", "acme_directory", "https_port"] as const).find((k) => raw[k] !== undefined);
    if (stray) throw new Error(`config: "${stray}" needs "https_domains" (HTTPS is off without it)`);
    return undefined;
  }
  return {
    domains: domains.map((d) => d.toLowerCase()),
    port: get("https_port"),
    email: get("acme_email"),
    directory: get("acme_directory"),
    certFile,
    keyFile,
  };
}

function ircSettings(raw: Raw, get: Get): IrcSettings | undefined {
  const needed = ["irc_nick", "irc_server", "irc_channel"] as const;
  if (!needed.some((k) => raw[k] !== undefined)) return undefined;
  const need = <K extends (typeof needed)[number]>(key: K): string => {
    const value = raw[key];
    if (value === undefined) throw new Error(`config: "${key}" is needed to connect to IRC`);
    return value;
  };
  const nick = need("irc_nick"), server = need("irc_server"), channel = need("irc_channel");
  if (raw.irc_key_file !== undefined && raw.irc_cert_file === undefined) {
    throw new Error(`config: "irc_key_file" is the key of "irc_cert_file", which is missing`);
  }
  const port = get("irc_port") ?? (raw.irc_tls === false ? 6667 : 6697);
  return {
    nick,
    fallbackNick: get("irc_fallback_nick") ?? `${nick.slice(0, 28)}_`,
    password: get("irc_pass") || undefined,
    account: get("irc_account"),
    certFile: get("irc_cert_file"),
    keyFile: get("irc_key_file"),
    server,
    port,
    tls: get("irc_tls") ?? port === 6697,
    tlsVerify: get("irc_tls_verify"),
    channel,
    requireAccount: get("require_account"),
    sendBurst: get("send_burst"),
    sendIntervalMs: get("send_interval_ms"),
    userBurst: get("user_burst"),
    userIntervalMs: get("user_interval_ms"),
    pingIntervalS: get("irc_ping_interval"),
    pingTimeoutS: get("irc_ping_timeout"),
  };
}

function settings(raw: Raw): Config {
  const get: Get = (key) => (raw[key] ?? (CONFIG_KEYS[key] as ConfigKey).default) as Value<typeof key>;
  const https = httpsSettings(raw, get);
  return {
    irc: ircSettings(raw, get),
    kvPath: get("kv_path"),
    base: get("base"),
    dbFilename: get("db_filename"),
    sample: false,
    httpHost: get("http_host"),
    httpPort: get("http_port") ?? (https ? 80 : 8000),
    https,
    timeZone: get("timezone") ?? systemTimeZone(),
    etherpadBase: get("etherpad_base"),
    fetchAllow: get("fetch_allow") ?? [],
    helpUrl: get("help_url"),
    publicUrl: get("public_url")?.replace(/\/+$/, ""),
    console: get("console") ?? false,
    leaseMs: get("lease_ms"),
    reminderMinutes: get("reminder_minutes"),
    announceStarts: get("announce_starts"),
    metricsToken: get("metrics_token"),
  };
}

/** The settings with no config file: everything local, the console on, the sample event as a demo. */
export function defaultConfig(): Config {
  return { ...settings({}), console: true, sample: true };
}

/**
 * Where the links the bot hands out point (without a trailing slash):
 * the first HTTPS name, else `public_url`, else the address the web server
 * listens on, with loopback for a bind-everything address (`public` false).
 * `ports` are the ports listened on, where the config says 0.
 */
export function linkBase(
  config: Config,
  ports: { http?: number; https?: number } = {},
): { base: string; public: boolean } {
  const https = config.https;
  if (https && https.domains.length) {
    const port = ports.https ?? https.port;
    return { base: `https://${https.domains[0]}${port === 443 ? "" : `:${port}`}`, public: true };
  }
  if (config.publicUrl) return { base: config.publicUrl, public: true };
  let host = unbracket(config.httpHost);
  if (WILDCARD.has(host)) host = host.includes(":") ? "::1" : "127.0.0.1";
  const port = ports.http ?? config.httpPort;
  return { base: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, public: false };
}

/** The link `help` answers with. */
export function helpLink(config: Config, ports?: { http?: number; https?: number }): string {
  return config.helpUrl ?? `${linkBase(config, ports).base}/ptg.html#help`;
}

/**
 * The line to warn with at start when the bot would hand attendees on IRC
 * a link only this machine can open; undefined when all is well.
 */
export function linkWarning(config: Config, ports?: { http?: number; https?: number }): string | undefined {
  if (!config.irc || config.helpUrl || linkBase(config, ports).public) return undefined;
  return `config: no "public_url" or "https_domains": \`help\` hands out ${helpLink(config, ports)}, ` +
    `which only this machine can open; set "public_url" to the page's address`;
}

/** Parses a config file's text; throws an Error whose message is one line naming the problem. */
export function parseConfig(text: string, warn: (line: string) => void = console.warn): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`config: not valid JSON (${errorText(e)})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error("config: the file must hold one JSON object");
  }
  for (const [key, value] of Object.entries(raw)) {
    const spec: ConfigKey | undefined = Object.hasOwn(CONFIG_KEYS, key) ? CONFIG_KEYS[key as Key] : undefined;
    if (!spec) {
      warn(`config: unknown key "${key}" ignored`);
      continue;
    }
    const problem = spec.check(value);
    if (problem) throw new Error(`config: bad value for "${key}": ${problem}`);
  }
  return settings(raw as Raw);
}

/** One line to warn with when a config holding a secret (services password, metrics token) can be read by other users. */
export function exposedPassword(config: Config, mode: number | null): string | undefined {
  const secret = config.irc?.password ? "irc_pass" : config.metricsToken ? "metrics_token" : undefined;
  if (!secret || mode === null || (mode & 0o077) === 0) return undefined;
  return `config: the file holds ${secret} but other users may read it (mode ${
    (mode & 0o777).toString(8).padStart(3, "0")
  }); chmod 600 it`;
}
