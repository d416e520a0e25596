/** Running the real program as a child process, reading its output line by line. */
import { lines } from "../../lib/app/console.ts";
import { SAMPLE_FILE } from "./fixtures.ts";

export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A running ptgbot process. */
export interface Bot {
  proc: Deno.ChildProcess;
  /** Writes a line to its console. */
  send(line: string): Promise<void>;
  /** Waits for an output line matching `re` (stdout or stderr); returns it. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Every line seen so far. */
  output: string[];
  /** The web port it announced. */
  port: number;
  closeInput(): Promise<void>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

/** Starts `deno run main.ts ARGS` (or another entry file) in `cwd` and waits until it serves. */
export function startBot(
  args: string[],
  cwd: string,
  entry = MAIN,
  denoFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<Bot> {
  return spawnBot(Deno.execPath(), ["run", "-A", ...denoFlags, entry, ...args], cwd, env);
}

/**
 * Starts `command ARGS` (a ptgbot, however launched) and waits until it
 * serves. With `group`, it runs in a session and process group of its own
 * (through setsid), which `Deno.kill(-bot.proc.pid, …)` signals whole, as a
 * terminal does on Ctrl-C.
 */
export async function spawnBot(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  group = false,
): Promise<Bot> {
  const proc = new Deno.Command(group ? "setsid" : command, {
    args: group ? [command, ...args] : args,
    cwd,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const line of lines(stream)) {
      output.push(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const writer = proc.stdin.getWriter();
  const enc = new TextEncoder();
  let seenUpTo = 0;
  const bot: Bot = {
    proc,
    output,
    port: 0,
    send: (line) => writer.write(enc.encode(line + "\n")),
    waitFor(re, timeoutMs = 15_000) {
      for (let i = seenUpTo; i < output.length; i++) {
        if (re.test(output[i])) {
          seenUpTo = i + 1;
          return Promise.resolve(output[i]);
        }
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${re}; output:\n${output.join("\n")}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            seenUpTo = output.length;
            resolve(l);
          },
        });
      });
    },
    closeInput: () => writer.close().catch(() => {}),
    async stop() {
      try {
        proc.kill("SIGTERM");
      } catch { /* already gone */ }
      await writer.close().catch(() => {});
      return await proc.status;
    },
  };
  const serving = await bot.waitFor(/ptgbot: serving http:\/\/[^:]+:(\d+)\//, 30_000);
  bot.port = Number(/:(\d+)\/$/.exec(serving)![1]);
  return bot;
}

/** Runs `deno run main.ts ARGS` to the end. */
export async function runMain(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd,
    stdin: "null",
  })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A temporary directory with a config file holding `config` (the sample event as its base unless it says otherwise). */
export async function withConfig(config: Record<string, unknown>): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-proc-" });
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      http_host: "127.0.0.1",
      http_port: 0,
      kv_path: `${dir}/s.kv`,
      base: SAMPLE_FILE,
      ...config,
    }),
  );
  return { dir, path };
}

/** A config named `name` in `dir`, with its own KV store there, on `port`: one of several events side by side. */
export async function eventConfig(dir: string, name: string, port: number): Promise<string> {
  const path = `${dir}/${name}.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      kv_path: `${dir}/${name}.kv`,
      base: SAMPLE_FILE,
      http_host: "127.0.0.1",
      http_port: port,
    }),
  );
  return path;
}

/** What the process on `port` says in /healthz, over a fresh connection (so the port's newest process answers). */
export async function healthOf(port: number): Promise<{ pid: number; store: string }> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    return await (await fetch(`http://127.0.0.1:${port}/healthz`, { client })).json();
  } finally {
    client.close();
  }
}

/** Copies the project as a fresh clone has it (tracked and new files, nothing ignored: no node_modules, no state). */
export async function freshCopy(): Promise<string> {
  const root = new URL("../..", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-fresh-" });
  for (const file of await projectFiles(root)) {
    const to = `${dir}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    try {
      await Deno.copyFile(`${root}/${file}`, to);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e; // deleted in the work tree
    }
  }
  return dir;
}

/** The project's files: git's list, or (outside a git checkout) the tree without what .gitignore names. */
async function projectFiles(root: string): Promise<string[]> {
  const listed = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: root,
    stderr: "null",
  }).output().catch(() => undefined);
  if (listed?.success) return new TextDecoder().decode(listed.stdout).split("\0").filter(Boolean);
  const ignored = (name: string) =>
    [".git", "node_modules", "dist", "data", "test-output"].includes(name) || name.includes(".kv");
  const files: string[] = [];
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(`${root}/${rel}`)) {
      if (ignored(entry.name)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  await walk("");
  return files;
}

/**
 * Ctrl-C as a terminal gives it: SIGINT to the bot's whole process group
 * (started with `group`), then waits for the exit. With `doubled`, the
 * SIGINT comes twice 50 ms apart (closer ones merge into one), as it does when a shell in between
 * forwards its own copy (the old `deno install && deno run` start task did).
 * With `againAfterMs`, a second Ctrl-C that much later, while the clean stop
 * is still under way (requests keep coming so that its drain goes on).
 */
export async function ctrlC(
  bot: Bot,
  { doubled = false, againAfterMs }: { doubled?: boolean; againAfterMs?: number } = {},
): Promise<Deno.CommandStatus> {
  let going = againAfterMs !== undefined;
  const traffic = (async () => {
    while (going) {
      await fetch(`http://127.0.0.1:${bot.port}/healthz`).then((r) => r.body?.cancel(), () => {});
    }
  })();
  Deno.kill(-bot.proc.pid, "SIGINT");
  if (doubled) {
    await new Promise((r) => setTimeout(r, 50));
    Deno.kill(-bot.proc.pid, "SIGINT");
  }
  if (againAfterMs !== undefined) {
    await bot.waitFor(/SIGINT, stopping/);
    await new Promise((r) => setTimeout(r, againAfterMs));
    Deno.kill(-bot.proc.pid, "SIGINT");
  }
  const status = await bot.proc.status;
  going = false;
  await traffic;
  await bot.closeInput();
  return status;
}
