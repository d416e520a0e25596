/** Running `ptgbot restart` as an organiser does, and checking on the processes it leaves. */
import assert from "node:assert/strict";
import { MAIN } from "./process.ts";

/** Runs `deno run -A main.ts restart ARGS` in `cwd`: exit code, output and how long it took. */
export async function restart(args: string[], cwd: string) {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "restart", ...args],
    cwd,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    ms: performance.now() - t0,
  };
}

export function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to each, then waits until they are gone. */
export async function stopAll(pids: number[]): Promise<void> {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGTERM");
    } catch { /* gone */ }
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one line a restart printed, checked to be one line. */
export function oneLine(text: string): string {
  const lines = text.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line expected, got:\n${text}`);
  return lines[0];
}
