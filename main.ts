/** ptgbot: the IRC bot and live web page for multi-track events. Wiring only. */
import { parseArgs } from "node:util";
import { type Config, defaultConfig, exposedPassword, parseConfig } from "./lib/app/config.ts";
import { KvStore } from "./lib/storage/store.ts";
import { errorText } from "./lib/util/errors.ts";
import { PortRefused } from "./lib/app/port_guard.ts";
import { stopOnSignals } from "./lib/app/signals.ts";

export const VERSION = "0.1.0";

const USAGE = `ptgbot ${VERSION}: IRC bot and live web page for multi-track events

Usage: ptgbot [CONFIG.json] [options]

With no config file: KV in ./ptgbot.kv, the sample event, the page on
http://127.0.0.1:8000/, and commands typed on the console (as an operator).

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
  --history TRACK  print the track's record (every "now", by day) as the
                   Markdown skeleton of its summary, then exit
  --help           show this help
  --version        show the version`;

function fail(message: string): never {
  console.error(`ptgbot: ${message}`);
  Deno.exit(2);
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
  if (positionals.length > 1) fail("give at most one config file (see --help)");

  let config: Config;
  if (positionals[0]) {
    let text: string;
    try {
      text = await Deno.readTextFile(positionals[0]);
    } catch (e) {
      fail(`cannot read config ${positionals[0]}: ${errorText(e)}`);
    }
    try {
      config = parseConfig(text, (line) => console.warn(`ptgbot: ${line}`));
    } catch (e) {
      fail(errorText(e));
    }
    const exposed = exposedPassword(config, (await Deno.stat(positionals[0])).mode);
    if (exposed) console.warn(`ptgbot: ${exposed}`);
  } else {
    config = defaultConfig();
  }
  if (values.console) config.console = true;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) fail(`--port ${values.port}: not a port number`);
    config.httpPort = port;
  }

  // Open the store while the rest of the program loads: start-up time is mostly these two.
  const opening = KvStore.open(config.kvPath);
  const { exportTo, importFrom, startProgram } = await import("./lib/app/program.ts");
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
  if (Deno.build.os !== "windows") {
    Deno.addSignalListener("SIGUSR1", () => console.error(`ptgbot: ${program.metrics.status()}`));
  }
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
      : "ptgbot: Ctrl-C or SIGTERM stops; SIGUSR1 logs a status line",
  );
  await program.consoleDone;
}

if (import.meta.main) await main();
