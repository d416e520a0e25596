/**
 * How ptgbot is best started, shared by `deno task restart`, the benchmarks
 * and (kept equal by a test) the `start` and `compile` tasks of deno.json.
 */

/**
 * V8 settings: a 1 MiB young generation and size-favouring heuristics keep
 * the resident size down with no measured loss of requests per second;
 * `gc` is exposed so that the program can compact its heap once started.
 */
export const V8_FLAGS = "--max-semi-space-size=1,--optimize-for-size,--expose-gc";

/**
 * Flags of the process wherever it runs (`deno run` and `deno compile`).
 * Without V8's code cache the process compiles the little it runs from
 * source: 3 to 4 MiB less resident (the cached code of every function once
 * run, and the cache file's pages) for no measured change in start-up time.
 */
export const RUNTIME_FLAGS = ["--no-code-cache", `--v8-flags=${V8_FLAGS}`];

/**
 * Flags of `deno run`: the npm packages are used as installed in
 * node_modules (the start task runs `deno install` first) instead of being
 * checked against the lock file on every start, 3 MiB less resident.
 */
export const RUN_FLAGS = ["--node-modules-dir=manual", ...RUNTIME_FLAGS];

/**
 * Environment for the process. One glibc malloc arena: the program's work
 * runs on one thread, and per-thread arenas only hold memory (about 4 MiB
 * with 1,000 open streams). No check for a newer Deno: a server has no use
 * for it, and it costs a megabyte. It must be set before the process
 * starts, so the systemd unit and the start task set it too.
 */
export const LAUNCH_ENV: Record<string, string> = { MALLOC_ARENA_MAX: "1", DENO_NO_UPDATE_CHECK: "1" };
