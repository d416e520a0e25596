/** ptgbot: the IRC bot and live web page for multi-track events. Wiring only. */
import { parseArgs } from "node:util";
import { type Config, defaultConfig } from "./lib/app/config.ts";
import { CliError, folderOf, loadConfigFile, within } from "./lib/app/config_file.ts";
import { KvStore } from "./lib/storage/store.ts";
import { errorText } from "./lib/util/errors.ts";
import { catchStray } from "./lib/util/boundary.ts";
import { PortRefused } from "./lib/app/port_guard.ts";
import { closeDebuggerOnSigusr1, STATUS_SIGNAL, statusOnSignal, stopOnSignals } from "./lib/app/signals.ts";

export const VERSION = "0.1.0";

const USAGE = `ptgbot ${VERSION}: IRC bot and live web page for multi-track events

Usage: ptgbot [CONFIG.json] [options]
       ptgbot restart CONFIG.json [--take-over] [--log FILE] [--timeout S]

With no config file: KV in ./ptgbot.kv, the sample event, the page on
http://127.0.0.1:8000/, and commands typed on the console (as an operator).
Paths in a config file are relative to the config file's folder.

Options:
  --console        read commands from standard input (on by default without a config)
  --port N         serve the page on port N instead of the config's http_port
                   (0: any free port)
  --take-over      share the web port even with a ptgbot of another store (or
                   another server), which then gets no new connections
  --import FILE    replace the stored state with an event document, then exit
                   (FILE.csv: a spreadsheet grid, see docs/csv.md)
  --export FILE    write a full backup (subscriptions included), then exit
                   (FILE.csv: the schedule as a grid, bookings included)
  --history TRACK  print the track's history (every "now", by day) as the
                   Markdown skeleton of its summary, then exit

restart: starts a new process of this program with CONFIG.json next to the
one serving its http_port, waits until it serves, leads and is in the IRC
channel, then stops the old one; if the new one fails, it is stopped and the
old one serves on. One line says which; exit code 0 only on success.
  --log FILE       append the new process's output to FILE
                   (default: ptgbot.log next to the config)
  --timeout S      seconds the new process gets (default 30)
  --help           show this help
  --version        show the version`;

function fail(message: string): never {
  throw new CliError(message);
}

/**
 * How this process was started, without its own arguments: the binary, or
 * deno with its flags and the entry file (`deno run -A main.ts`, the bundle).
 * `restart` starts the new process the same way.
 */
function selfCommand(): string[] {
  try {
    const argv = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    if (argv.at(-1) === "") argv.pop();
    if (argv.length > Deno.args.length) {
      return [Deno.execPath(), ...argv.slice(1, argv.length - Deno.args.length)];
    }
  } catch { /* no /proc: not Linux */ }
  if (Deno.build.standalone) return [Deno.execPath()];
  const flags = ["--unstable-kv", "--unstable-net", "--unstable-raw-imports"];
  return [Deno.execPath(), "run", "-A", ...flags, new URL(Deno.mainModule).pathname];
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        console: { type: "boolean" },
        "take-over": { type: "boolean" },
        port: { type: "string" },
        import: { type: "string" },
        export: { type: "string" },
        history: { type: "string" },
        log: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (e) {
    fail(`${errorText(e).split("\n")[0]} (see --help)`);
  }
  const { values, positionals } = args;
  if (values.help) return console.log(USAGE);
  if (values.version) return console.log(VERSION);
  const warn = (line: string) => console.warn(`ptgbot: ${line}`);
  if (positionals[0] === "restart") {
    if (positionals.length !== 2) fail("restart takes one config file: ptgbot restart CONFIG.json");
    const other = (["console", "port", "import", "export", "history"] as const).find((o) => values[o]);
    if (other) fail(`--${other} does not go with restart`);
    const timeout = Number(values.timeout ?? "30");
    if (!(timeout > 0 && timeout <= 3600)) fail(`--timeout ${values.timeout}: give seconds, 1 to 3600`);
    // The new process gets the config's absolute path: it may run from any folder.
    const configPath = await Deno.realPath(positionals[1]).catch(() => within(Deno.cwd(), positionals[1]));
    const config = await loadConfigFile(configPath, warn);
    const { restart } = await import("./lib/app/restart.ts");
    const result = await restart({
      configPath,
      config,
      command: selfCommand(),
      log: within(Deno.cwd(), values.log ?? `${folderOf(configPath)}/ptgbot.log`),
      takeOver: values["take-over"] ?? false,
      timeoutMs: timeout * 1000,
    });
    if (!result.ok) throw new CliError(result.line);
    console.log(result.line);
    Deno.exit(0);
  }
  if (values.log !== undefined || values.timeout !== undefined) fail("--log and --timeout go with restart");
  if (positionals.length > 1) fail("give at most one config file (see --help)");

  const config: Config = positionals[0] ? await loadConfigFile(positionals[0], warn) : defaultConfig();
  if (values.console) config.console = true;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) fail(`--port ${values.port}: not a port number`);
    config.httpPort = port;
  }

  // Open the store while the rest of the program loads: start-up time is mostly these two.
  const opening = KvStore.open(config.kvPath);
  opening.catch(() => {}); // its failure is reported where it is awaited, not as an unhandled rejection
  const { startProgram } = await import("./lib/app/program.ts");
  const { exportTo, importFrom } = await import("./lib/app/documents.ts");
  if (values.history !== undefined) {
    const track = values.history.replace(/^#/, "").toLowerCase();
    const { isTrackName } = await import("./lib/state/validate.ts");
    if (!isTrackName(track)) fail(`--history: ${JSON.stringify(values.history)} is not a track name`);
    const store = await opening;
    const { trackMarkdown } = await import("./lib/web/history.ts");
    console.log(trackMarkdown(store.state, track, config.timeZone, await store.history()));
    await store.close();
    return;
  }
  if (values.import || values.export) {
    const store = await opening;
    if (values.import) {
      const problem = await importFrom(store, values.import, config.timeZone);
      if (problem) {
        store.close();
        fail(problem);
      }
      console.log(`ptgbot: imported ${values.import} into ${config.kvPath}`);
    }
    if (values.export) {
      const problem = await exportTo(store, values.export, config.timeZone);
      if (problem) {
        await store.close();
        fail(problem);
      }
      console.log(`ptgbot: wrote ${values.export}`);
    }
    await store.close();
    return;
  }

  // Serving from here on: a stray error (a promise nobody awaited) is logged, and the program serves on.
  catchStray();
  let program;
  try {
    program = await startProgram(config, {
      input: Deno.stdin.readable,
      store: opening,
      takeOver: values["take-over"],
    });
  } catch (e) {
    if (e instanceof PortRefused) fail(e.message);
    const where = `${config.httpHost}:${config.httpPort}`;
    if (e instanceof Deno.errors.AddrInUse) fail(`cannot listen on ${where}: another program holds it`);
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
      fail(`cannot listen on ${where}: ${errorText(e)} (ports below 1024 need CAP_NET_BIND_SERVICE)`);
    }
    fail(errorText(e));
  }
  // Listen for signals before telling anyone we serve: a restart script may signal at once.
  stopOnSignals(() => program.stop());
  statusOnSignal(() => program.metrics.status());
  closeDebuggerOnSigusr1();
  const { hostname, port } = program.addr;
  console.log(`ptgbot: serving http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`);
  const https = program.https?.serving();
  if (https) console.log(https);
  const kv = config.kvPath;
  console.log(
    `ptgbot: state in ${/^([/\\]|[A-Za-z]:)/.test(kv) ? kv : `${Deno.cwd()}/${kv.replace(/^\.\//, "")}`}`,
  );
  console.log(
    config.console
      ? "ptgbot: type commands as an operator (~list, #help, status); Ctrl-C stops"
      : `ptgbot: Ctrl-C or SIGTERM stops; ${STATUS_SIGNAL} logs a status line`,
  );
  await program.consoleDone;
}

/**
 * The command line's one error boundary: whatever goes wrong is one line
 * on stderr and a non-zero exit (2 for a refused command line or config, 1
 * for anything else), never a stack trace.
 */
async function cli(): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (e instanceof CliError) {
      console.error(e.message.startsWith("restart: ") ? e.message : `ptgbot: ${e.message}`);
      Deno.exit(2);
    }
    console.error(`ptgbot: ${errorText(e).split("\n")[0]}`);
    Deno.exit(1);
  }
}

if (import.meta.main) await cli();
