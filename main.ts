/** ptgbot: the IRC bot and live web page for multi-track events. Wiring only. */
import { parseArgs } from "node:util";
import { type Config, defaultConfig, exposedPassword, parseConfig } from "./lib/app/config.ts";
import { KvStore } from "./lib/storage/kv_store.ts";
import { errorText } from "./lib/util/errors.ts";

export const VERSION = "0.1.0";

const USAGE = `ptgbot ${VERSION}: IRC bot and live web page for multi-track events

Usage: ptgbot [CONFIG.json] [options]

With no config file: KV in ./ptgbot.kv, the sample event, the page on
http://127.0.0.1:8000/, and commands typed on the console (as an operator).

Options:
  --console        read commands from standard input (on by default without a config)
  --import FILE    replace the stored state with an event document, then exit
  --export FILE    write a full backup (subscriptions included), then exit
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
        import: { type: "string" },
        export: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (e) {
    fail(`${errorText(e)} (see --help)`);
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

  // Open the store while the rest of the program loads: start-up time is mostly these two.
  const opening = KvStore.open(config.kvPath);
  const { exportTo, importFrom, startProgram } = await import("./lib/app/program.ts");
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
      await exportTo(store, values.export);
      console.log(`ptgbot: wrote ${values.export}`);
    }
    await store.close();
    return;
  }

  const program = await startProgram(config, { input: Deno.stdin.readable, store: opening }).catch((e) =>
    fail(errorText(e))
  );
  // Listen for signals before telling anyone we serve: a restart script may signal at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`ptgbot: ${signal} again, leaving now`);
      Deno.exit(1);
    }
    stopping = true;
    console.log(`ptgbot: ${signal}, stopping`);
    await program.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  const { hostname, port } = program.addr;
  console.log(`ptgbot: serving http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`);
  const https = program.https?.addr();
  if (https) {
    console.log(`ptgbot: serving https://${config.https?.domains[0] ?? https.hostname}:${https.port}/`);
  }
  if (config.console) console.log("ptgbot: type commands (as an operator), e.g. ~list or #help");
  await program.consoleDone;
}

if (import.meta.main) await main();
