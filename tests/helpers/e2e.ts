/**
 * What every end-to-end test shares: its sanitizer options, and teardown
 * with `await using` (temporary folders, child processes, servers) instead
 * of a try/finally per test.
 *
 * @module
 */

/**
 * End-to-end tests start servers, child processes and sockets whose ops and
 * resources end on their own schedule (a server's accept loop, a child's
 * pipes), after the test's body: Deno's sanitizers would report them.
 */
export const E2E = { sanitizeOps: false, sanitizeResources: false } as const;

/**
 * For tests whose ops all end but that leave resources open (a loopback
 * server the file shares, a child's pipes): their ops are still checked.
 */
export const OPEN_RESOURCES = { sanitizeResources: false } as const;

/**
 * True under `faketime` (`deno task test:any-day`): tests that need the real
 * time (a certificate's validity, a child's clock offset from it) skip then.
 */
export const CLOCK_FAKED = /faketime/.test(Deno.env.get("LD_PRELOAD") ?? "");

/** Options of `e2eTest` beyond the name and body. */
export interface E2eOptions {
  /** Skip the test (a tool it needs is missing, or the clock is faked). */
  ignore?: boolean;
}

/** A test with the end-to-end sanitizer options. */
export function e2eTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
  options: E2eOptions = {},
): void {
  Deno.test({ name, ...E2E, ...options, fn });
}

/** Runs `teardown` when the `await using` scope holding it ends, however it ends. */
export function defer(teardown: () => unknown): AsyncDisposable {
  return { [Symbol.asyncDispose]: async () => void await teardown() };
}

/** Removes the folder `path` (a test's temporary folder) with all it holds when the scope ends. */
export function removing(path: string): AsyncDisposable {
  return defer(() => Deno.remove(path, { recursive: true }));
}

/** Something with an asynchronous `stop` or `close`: a bot process, a program, an IRC server. */
type Stoppable = { stop(): Promise<unknown> } | { close(): Promise<unknown> | void };

/** Stops `thing` when the `await using` scope holding the result ends. */
export function stopping(thing: Stoppable): AsyncDisposable {
  return defer(() => "stop" in thing ? thing.stop() : thing.close());
}
