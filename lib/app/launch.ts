/**
 * How ptgbot is best started, shared by `deno task restart`, the benchmarks
 * and (kept equal by a test) the `start` and `compile` tasks of deno.json.
 *
 * @module
 */

/**
 * V8 settings: a small young generation and size-favouring heuristics keep
 * the resident size down (the benchmarks check the rate of requests stays);
 * `gc` is exposed so that the program can compact its heap once started.
 */
const V8_FLAGS = "--max-semi-space-size=1,--optimize-for-size,--expose-gc";

/**
 * Flags of the process wherever it runs (`deno run` and `deno compile`).
 * Without V8's code cache the process compiles the little it runs from
 * source rather than keeping the cached code of every function it ever ran
 * and the cache file's pages resident; start-up does not suffer.
 */
export const RUNTIME_FLAGS = ["--no-code-cache", `--v8-flags=${V8_FLAGS}`];

/**
 * Flags of `deno run`: the npm packages are used as installed in
 * node_modules (the start task runs `deno install` first) instead of being
 * checked against the lock file on every start, which holds memory.
 */
export const RUN_FLAGS = ["--node-modules-dir=manual", ...RUNTIME_FLAGS];

/**
 * Flags of the `start` task, the demo a newcomer runs first: no install
 * step, so the test-only packages (a browser driver, property testing) are
 * not installed and nothing but the program speaks. The npm packages the
 * program imports come from Deno's global cache, fetched on first use
 * (`none`); `--quiet` keeps Deno's download lines out of sight. Deno fetches
 * every package its lock file lists, so the demo has a lock of its own
 * holding only the program's import graph (`deno task lock:start` rewrites
 * it; a test keeps it current). That holds more memory than `manual` once
 * IRC loads (bench/README.md), which matters for a long-running event (the
 * binary, the restart script), not for the demo.
 */
export const START_FLAGS = ["--quiet", "--node-modules-dir=none", "--lock=deno.start.lock", ...RUNTIME_FLAGS];

/**
 * Environment for the process. One glibc malloc arena: the program's work
 * runs on one thread, and per-thread arenas only hold memory. No check for
 * a newer Deno: a server has no use for it. It must be set before the
 * process starts, so the systemd unit and the start task set it too.
 */
export const LAUNCH_ENV: Record<string, string> = { MALLOC_ARENA_MAX: "1", DENO_NO_UPDATE_CHECK: "1" };
