/**
 * How far one `~fetchdb` download raises the peak resident memory of a
 * child process started with the launch settings (`deno task start`'s V8
 * flags). The child resets its peak (`/proc/self/clear_refs`) after a
 * warm-up download and reports the rise. Used by
 * `tests/e2e/fetch_document_test.ts` and `bench/fetch_memory.ts`.
 *
 * Run with `--child URL`, this module is the child's side.
 *
 * @module
 */
import { fetchDocument } from "../../lib/fetch/fetch_document.ts";

/** `deno task start`'s V8 flags and allocator setting, so the figures are the running bot's. */
const V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--optimize-for-size,--expose-gc";

/** What a child reports. */
export interface Measured {
  /** Resident KiB before the download. */
  baseKiB: number;
  /** The highest resident KiB during the download. */
  peakKiB: number;
  /** The outcome, as the bot would say it. */
  result: string;
}

function statusKiB(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(Deno.readTextFileSync("/proc/self/status"));
  if (!m) throw new Error(`no ${field} in /proc/self/status`);
  return Number(m[1]);
}

async function child(url: string): Promise<void> {
  const allow = ["127.0.0.1"];
  // Warm up: modules, TLS-free connection code and the JSON parser loaded and compiled.
  await fetchDocument(url.replace(/\/[^/]*$/, "/small.json"), { allow });
  (globalThis as { gc?: () => void }).gc?.();
  Deno.writeTextFileSync("/proc/self/clear_refs", "5");
  const baseKiB = statusKiB("VmRSS");
  const res = await fetchDocument(url, { allow, timeoutMs: 60_000 });
  const peakKiB = statusKiB("VmHWM");
  const result = res.ok ? `loaded ${Object.keys(res.doc).join(", ")}` : `refused: ${res.error}`;
  console.log(JSON.stringify({ baseKiB, peakKiB, result } satisfies Measured));
}

/** Downloads `url` in a fresh child process and reports its memory. */
export async function measure(url: string): Promise<Measured> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", V8_FLAGS, import.meta.filename!, "--child", url],
    env: { MALLOC_ARENA_MAX: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the child failed (${out.code})`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--child");
  if (at < 0) throw new Error("usage: download_memory.ts --child URL");
  await child(Deno.args[at + 1]);
}
