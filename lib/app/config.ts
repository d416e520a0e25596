/** The config file: the original's keys plus ours, checked before anything starts. */
import { z } from "zod";
import { isTimeZone, systemTimeZone } from "../state/clock.ts";
import { isWebUrl } from "../state/validate.ts";
import type { IrcSettings } from "../irc/bot.ts";

const port = z.number().int().min(0).max(65535);

const schema = z.object({
  irc_nick: z.string().regex(/^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,29}$/, "not an IRC nick")
    .optional(),
  irc_pass: z.string().max(200).optional(),
  irc_server: z.string().min(1).max(255).regex(/^[^\s/]+$/, "a host name, without scheme").optional(),
  irc_port: port.min(1).optional(),
  irc_tls: z.boolean().optional(),
  irc_tls_verify: z.boolean().optional(),
  irc_channel: z.string().regex(/^[#&][^\s,\x07]{1,49}$/, "a channel such as #event").optional(),
  irc_fallback_nick: z.string().regex(/^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,29}$/).optional(),
  require_account: z.boolean().optional(),
  send_burst: z.number().int().min(1).max(50).optional(),
  send_interval_ms: z.number().int().min(50).max(10_000).optional(),
  user_burst: z.number().int().min(1).max(1000).optional(),
  user_interval_ms: z.number().int().min(1).max(60_000).optional(),
  irc_ping_interval: z.number().int().min(5).max(600).optional(),
  irc_ping_timeout: z.number().int().min(5).max(600).optional(),
  db_filename: z.string().min(1).optional(),
  kv_path: z.string().min(1).optional(),
  base: z.string().min(1).optional(),
  http_host: z.string().min(1).optional(),
  http_port: port.optional(),
  timezone: z.string().refine(isTimeZone, "not a time zone this runtime knows").optional(),
  etherpad_base: z.string().refine(isWebUrl, "not an http(s) URL").optional(),
  help_url: z.string().refine(isWebUrl, "not an http(s) URL").optional(),
  console: z.boolean().optional(),
  lease_ms: z.number().int().min(1000).max(600_000).optional(),
});

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
  const known = new Set(Object.keys(schema.shape));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) warn(`config: unknown key "${key}" ignored`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`config: bad value for "${issue.path.join(".")}": ${issue.message}`);
  }
  const c = parsed.data;
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
