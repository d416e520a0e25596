/**
 * `ptgbot restart CONFIG`: replaces the running copy of the event in the
 * config with a new process of the same program, without dropping a visitor
 * and without ever leaving two copies on IRC or on the port.
 *
 * The running copies are found on the config's `http_port` (every process
 * listening there, from /proc, and whoever answers /healthz). The new one
 * starts in a session of its own, its output appended to the log file; it
 * shares the port (reusePort) and gets every new connection. Once it
 * answers, the store is asked to hand the IRC lease to it: the old leader
 * leaves IRC and gives the lease up, the new one takes it and joins. Only
 * when the new process serves, leads and is in the channel are the old ones
 * sent SIGTERM (they drain and leave). If the new process exits, or is not
 * in the channel in time, it is stopped, the hand-over is withdrawn and the
 * old leader takes IRC back: the old process serves on as before.
 *
 * @module
 */
import type { Config } from "./config.ts";
import { LAUNCH_ENV } from "./launch.ts";
import { listenersOf } from "./listeners.ts";
import { probeHost, probePort } from "./port_guard.ts";
import { ownerPrefix, requestHandOver, withdrawHandOver } from "../storage/lease.ts";
import { errorText } from "../util/errors.ts";

/** What a restart needs. */
export interface RestartPlan {
  /** The config file, as an absolute path (given to the new process). */
  configPath: string;
  /** Its settings, paths resolved. */
  config: Config;
  /** The program to start, without the config (e.g. the binary, or `deno run -A main.ts`). */
  command: string[];
  /** Where the new process's output goes (appended). */
  log: string;
  /** Give the new process `--take-over` (to replace a process of another store). */
  takeOver: boolean;
  /** How long the new process gets to serve, lead and join. */
  timeoutMs: number;
}

/** The outcome: exit code and the one line to print. */
export interface RestartResult {
  ok: boolean;
  line: string;
}

interface Health {
  pid?: number;
  leader?: boolean;
  irc?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** The last lines the new process logged (since `from` bytes into the log), as one line. */
async function lastLines(log: string, from: number, count = 3): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = (await Deno.readFile(log)).subarray(from);
  } catch {
    return "no log";
  }
  const lines = new TextDecoder().decode(bytes).split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return "nothing logged";
  return lines.slice(-count).map((l) => l.length > 240 ? `${l.slice(0, 240)}…` : l).join(" | ");
}

/** Replaces the running process of `plan.config`'s event with a new one; never throws. */
export async function restart(plan: RestartPlan): Promise<RestartResult> {
  const { config } = plan;
  if (config.httpPort === 0) {
    return {
      ok: false,
      line: "restart: the config's http_port is 0 (any port); a restart needs a fixed one",
    };
  }
  const host = probeHost(config.httpHost);
  const url = `http://${host}:${config.httpPort}`;
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const health = async (): Promise<Health | undefined> => {
    try {
      const res = await fetch(`${url}/healthz`, { client, signal: AbortSignal.timeout(2000) });
      return res.ok ? await res.json() : (await res.body?.cancel(), undefined);
    } catch {
      return undefined;
    }
  };
  let kv: Deno.Kv | undefined;
  try {
    return await replace(plan, url, health, async () => kv ??= await Deno.openKv(config.kvPath));
  } catch (e) {
    return { ok: false, line: `restart: ${errorText(e)}` };
  } finally {
    kv?.close();
    client.close();
  }
}

async function replace(
  plan: RestartPlan,
  url: string,
  health: () => Promise<Health | undefined>,
  openKv: () => Promise<Deno.Kv>,
): Promise<RestartResult> {
  const { config } = plan;
  const channel = config.irc?.channel;
  // Every process on the port now is an old one.
  const owner = await probePort(config.httpHost, config.httpPort);
  const old = new Set(await listenersOf(config.httpPort) ?? []);
  if (owner.kind === "ptgbot" && owner.pid) old.add(owner.pid);
  old.delete(Deno.pid);

  let logStart = 0;
  try {
    logStart = (await Deno.stat(plan.log)).size;
  } catch { /* a new log */ }
  const started = performance.now();
  // A session of its own: the new process outlives this one and the terminal it ran in.
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'exec "$@" >>"$0" 2>&1',
      plan.log,
      ...plan.command,
      plan.configPath,
      ...(plan.takeOver ? ["--take-over"] : []),
    ],
    env: LAUNCH_ENV,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  let exited: Deno.CommandStatus | undefined;
  const exit = child.status.then((s) => exited = s);
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const others = () => [...old].join(", ");

  let serving = false;
  let handOver = false;
  let last: Health | undefined;
  const until = started + plan.timeoutMs;
  while (performance.now() < until && !exited) {
    last = await health();
    if (last?.pid === child.pid) {
      serving = true;
      if (!channel) break;
      if (!handOver && old.size) {
        // The old leader leaves IRC and gives the lease up; only the new process may take it.
        await requestHandOver(await openKv(), ownerPrefix(child.pid), Date.now() + plan.timeoutMs);
        handOver = true;
      }
      if (last.leader && last.irc === "joined") break;
    }
    await Promise.race([exit, sleep(100)]);
  }

  const succeeded = !exited && serving && (!channel || (last?.leader && last.irc === "joined"));
  if (!succeeded) {
    const why = exited
      ? `the new process exited (${exited.signal ?? `code ${exited.code}`}) after ${seconds()} s`
      : !serving
      ? `the new process ${child.pid} did not answer ${url}/healthz within ${seconds()} s`
      : !last?.leader
      ? `the new process ${child.pid} did not get the IRC lease within ${seconds()} s`
      : `the new process ${child.pid} was not in ${channel} within ${seconds()} s (irc: ${last.irc})`;
    // What it logged last says why; read before it logs its own stop.
    const said = await lastLines(plan.log, logStart);
    if (!exited) await stopProcess(child.pid, exit);
    if (handOver) await withdrawHandOver(await openKv());
    const still = [...old].filter(alive);
    const back = still.length && channel && handOver ? await leaderAgain(health, config.leaseMs) : "";
    const serves = still.length === 0
      ? "; nothing serves now"
      : `; ${still.length > 1 ? "processes" : "process"} ${still.join(", ")} ${
        still.length > 1 ? "serve" : "serves"
      } on${back}`;
    return {
      ok: false,
      line: `restart: ${why}: ${said}${exited ? "" : "; it was stopped"}${serves} (log: ${plan.log})`,
    };
  }

  for (const pid of old) {
    try {
      Deno.kill(pid, "SIGTERM");
    } catch { /* already gone */ }
  }
  // They drain, QUIT IRC and close the store; a stop that hangs is cut short.
  const stubborn: number[] = [];
  for (const pid of old) {
    const by = performance.now() + Math.max(until - performance.now(), 20_000);
    while (alive(pid) && performance.now() < by) await sleep(100);
    if (alive(pid)) {
      stubborn.push(pid);
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
  }
  if (handOver) await withdrawHandOver(await openKv());
  child.unref();
  const left = await listenersOf(config.httpPort);
  const strangers = left?.filter((pid) => pid !== child.pid) ?? [];
  if (strangers.length) {
    return {
      ok: false,
      line: `restart: process ${child.pid} serves ${url}/, but ${strangers.join(", ")} still listen there`,
    };
  }
  const what = channel ? `serves ${url}/, leads and is in ${channel}` : `serves ${url}/`;
  const stopped = old.size
    ? `; stopped ${others()}${
      stubborn.length ? ` (killed ${stubborn.join(", ")}: no clean stop in time)` : ""
    }`
    : " (nothing served before)";
  return { ok: true, line: `restart: process ${child.pid} ${what} after ${seconds()} s${stopped}` };
}

/** SIGTERM, then SIGKILL if it has not left within 5 s; resolves once it is gone. */
async function stopProcess(pid: number, exit: Promise<unknown>): Promise<void> {
  try {
    Deno.kill(pid, "SIGTERM");
  } catch { /* gone */ }
  const left = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
  if (!left) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
    await exit;
  }
}

/** Waits until a process on the port leads again; the words to add to the report. */
async function leaderAgain(health: () => Promise<Health | undefined>, leaseMs: number): Promise<string> {
  const by = performance.now() + leaseMs + 5000;
  while (performance.now() < by) {
    const h = await health();
    if (h?.leader) return " and leads again";
    await sleep(100);
  }
  return " (it has not taken IRC back yet)";
}
