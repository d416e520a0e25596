/**
 * `deno task restart`: a thin wrapper around `ptgbot restart` (lib/app/restart.ts).
 *
 *   deno task restart [--take-over] [--log FILE] [--timeout S] CONFIG
 *       runs main.ts from this checkout (after `deno install`) with the launch settings
 *   deno task restart [options] -- COMMAND… CONFIG
 *       runs `COMMAND… restart [options] CONFIG`, e.g. `-- ./dist/ptgbot config.json`
 *
 * The exit code and the one line are those of `ptgbot restart`.
 *
 * @module
 */
import { LAUNCH_ENV, RUN_FLAGS } from "../lib/app/launch.ts";

// restart's own options come first; then (after an optional `--`) the command and the config.
const options: string[] = [];
let i = 0;
for (; i < Deno.args.length && Deno.args[i].startsWith("-") && Deno.args[i] !== "--"; i++) {
  options.push(Deno.args[i]);
  if (/^--(log|timeout)$/.test(Deno.args[i]) && i + 1 < Deno.args.length) options.push(Deno.args[++i]);
}
if (Deno.args[i] === "--") i++;
const rest = Deno.args.slice(i);
const config = rest.at(-1);
if (!config || config.startsWith("-")) {
  console.error("restart: usage: deno task restart [options] [-- COMMAND…] CONFIG");
  Deno.exit(2);
}
let command = rest.slice(0, -1);
if (command.length === 0) {
  // main.ts as `deno task start` would run it, on node_modules as installed.
  const root = new URL("..", import.meta.url).pathname;
  const installed = await new Deno.Command(Deno.execPath(), { args: ["install", "--quiet"], cwd: root })
    .output();
  if (!installed.success) {
    console.error("restart: deno install failed");
    Deno.exit(1);
  }
  command = [Deno.execPath(), "run", "-A", ...RUN_FLAGS, `${root}main.ts`];
}
const [program, ...args] = command;
const status = await new Deno.Command(program, {
  args: [...args, "restart", ...options, config],
  env: LAUNCH_ENV,
  stdin: "null",
}).spawn().status;
Deno.exit(status.code);
