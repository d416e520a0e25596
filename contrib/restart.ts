/**
 * Restarts ptgbot without dropping a request: starts a new process on the
 * same port and KV file (reusePort), waits until it answers /healthz, then
 * sends SIGTERM to the old one, which drains and gives the IRC lease up.
 *
 *   deno task restart [--url http://127.0.0.1:8000] [--log ptgbot.log] [--take-over] -- COMMAND [ARGS…]
 *
 * The new process starts only if the running one serves the same KV store
 * (its /healthz store id); `--take-over` passes that flag on to replace a
 * process of another store (a moved or restored KV file).
 *
 * COMMAND defaults to this deno running main.ts with the same config, e.g.
 *   deno task restart -- ./ptgbot config.json      (the compiled binary)
 *   deno task restart -- deno run -A main.ts config.json
 */
import { parseArgs } from "node:util";
import { LAUNCH_ENV, RUN_FLAGS } from "../lib/app/launch.ts";
import { errorText } from "../lib/util/errors.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    url: { type: "string", default: "http://127.0.0.1:8000" },
    log: { type: "string", default: "ptgbot.log" },
    timeout: { type: "string", default: "30" },
    "take-over": { type: "boolean" },
  },
});
/** This deno running main.ts as `deno task start` does: on node_modules as installed, so install first. */
async function defaultCommand(): Promise<string[]> {
  const installed = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--quiet"],
    stdout: "null",
  }).output();
  if (!installed.success) {
    console.error("restart: deno install failed");
    Deno.exit(1);
  }
  return [Deno.execPath(), "run", "-A", ...RUN_FLAGS, "main.ts"];
}

const command = [
  ...(positionals.length ? positionals : await defaultCommand()),
  ...(values["take-over"] ? ["--take-over"] : []),
];
const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });

async function healthPid(): Promise<number | undefined> {
  try {
    const res = await fetch(`${values.url}/healthz`, { client: fresh, signal: AbortSignal.timeout(2000) });
    return (await res.json()).pid;
  } catch {
    return undefined;
  }
}

// Every process answering now is an old one (new connections go to the newest; without
// the port steering they are spread, hence several asks).
const old = new Set<number>();
for (let i = 0; i < 20; i++) {
  const pid = await healthPid();
  if (pid) old.add(pid);
}
console.log(
  old.size ? `restart: running now: ${[...old].join(", ")}` : "restart: nothing answers; starting fresh",
);

// setsid: the new process outlives this script and the old one's session;
// its output goes straight to the log file, not through pipes that close with us.
const started = await new Deno.Command("setsid", {
  args: ["-f", "sh", "-c", 'exec "$@" >>"$0" 2>&1 </dev/null', values.log!, ...command],
  stdin: "null",
  env: LAUNCH_ENV,
}).output();
if (!started.success) {
  console.error("restart: could not start the new process");
  Deno.exit(1);
}

const until = Date.now() + Number(values.timeout) * 1000;
let fresher: number | undefined;
while (Date.now() < until && fresher === undefined) {
  const pid = await healthPid();
  if (pid && !old.has(pid)) fresher = pid;
  else await new Promise((r) => setTimeout(r, 50));
}
if (fresher === undefined) {
  console.error(`restart: the new process did not answer within ${values.timeout} s; see ${values.log}`);
  Deno.exit(1);
}
console.log(`restart: new process ${fresher} answers; stopping ${[...old].join(", ") || "nothing"}`);
for (const pid of old) {
  try {
    Deno.kill(pid, "SIGTERM");
  } catch (e) {
    console.error(`restart: cannot signal ${pid}: ${errorText(e)}`);
  }
}
// Wait for the old ones to leave (they drain, QUIT IRC and close KV).
for (const pid of old) {
  while (Date.now() < until) {
    try {
      Deno.kill(pid, "SIGCONT");
    } catch {
      break; // gone
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
console.log("restart: done");
fresh.close();
Deno.exit(0);
