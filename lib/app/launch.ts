/**
 * How ptgbot is best started, shared by `deno task restart`, the benchmarks
 * and (kept equal by a test) the `start` and `compile` tasks of deno.json.
 */

/**
 * V8 settings: a 1 MiB young generation and size-favouring heuristics keep
 * the resident size down with no measured loss of requests per second.
 */
export const V8_FLAGS = "--max-semi-space-size=1,--optimize-for-size";

/**
 * Environment for the process. One glibc malloc arena: the program's work
 * runs on one thread, and per-thread arenas only hold memory (about 4 MiB
 * with 1,000 open streams). It must be set before the process starts, so
 * the systemd unit and the start task set it too.
 */
export const LAUNCH_ENV: Record<string, string> = { MALLOC_ARENA_MAX: "1" };
