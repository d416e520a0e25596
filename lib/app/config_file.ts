/**
 * Reading the config file named on the command line. Every file path in it
 * (`kv_path`, `base`, `db_filename`, the certificate and key files) is taken
 * relative to the config file's folder, not to the working directory: the
 * same config means the same store whether the bot is started by systemd,
 * by hand from another folder, or by `ptgbot restart`.
 *
 * @module
 */
import { type Config, exposedPassword, parseConfig } from "./config.ts";
import { errorText } from "../util/errors.ts";

/** A command-line problem: its message is the one line to show. */
export class CliError extends Error {}

/** Whether `path` is absolute (POSIX, or a Windows drive or UNC path). */
function isAbsolute(path: string): boolean {
  return /^([/\\]|[A-Za-z]:)/.test(path);
}

/** The folder of `file`, absolute (the working directory joined when `file` is relative). */
export function folderOf(file: string): string {
  const full = isAbsolute(file) ? file : `${Deno.cwd()}/${file}`;
  const cut = Math.max(full.lastIndexOf("/"), full.lastIndexOf("\\"));
  return cut <= 0 ? full.slice(0, cut + 1) || "/" : full.slice(0, cut);
}

/** `path` read relative to `folder` (unchanged when absolute). */
export function within(folder: string, path: string): string {
  return isAbsolute(path) ? path : `${folder}/${path.replace(/^\.\//, "")}`;
}

/** The config's file paths, relative ones read from `folder`. */
export function resolvePaths(config: Config, folder: string): Config {
  const at = (p: string | undefined) => p === undefined ? undefined : within(folder, p);
  return {
    ...config,
    kvPath: within(folder, config.kvPath),
    base: at(config.base),
    dbFilename: at(config.dbFilename),
    https: config.https &&
      { ...config.https, certFile: at(config.https.certFile), keyFile: at(config.https.keyFile) },
    irc: config.irc && { ...config.irc, certFile: at(config.irc.certFile), keyFile: at(config.irc.keyFile) },
  };
}

/** Reads, checks and resolves the config file at `path`; throws CliError with the one line to show. */
export async function loadConfigFile(path: string, warn: (line: string) => void): Promise<Config> {
  let text: string;
  let mode: number | null;
  try {
    text = await Deno.readTextFile(path);
    mode = (await Deno.stat(path)).mode;
  } catch (e) {
    throw new CliError(`cannot read config ${path}: ${errorText(e)}`);
  }
  let config: Config;
  try {
    config = parseConfig(text, warn);
  } catch (e) {
    throw new CliError(errorText(e));
  }
  const exposed = exposedPassword(config, mode);
  if (exposed) warn(exposed);
  return resolvePaths(config, folderOf(path));
}
