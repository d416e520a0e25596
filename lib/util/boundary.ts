/**
 * The error boundary, one for the whole program: an unexpected error in a
 * handler (an IRC event, a web request, a console line, a timer) is logged
 * once, saying what was being done, and goes no further, so that one bad
 * event never takes the process down or silences the handlers after it.
 *
 * Expected failures (a refused login, a download that times out) are
 * handled where they happen; this is for the bugs nobody expected.
 *
 * @module
 */
import { errorDetail } from "./errors.ts";

/** Where reports go: one line each. */
export type Log = (line: string) => void;

const stderr: Log = (line) => console.error(line);

/** Errors already reported, so one that passes two boundaries is still logged once. */
const reported = new WeakSet<object>();

/** Logs `error` as `WHAT failed: DETAIL` (its stack, when it has one), unless it was logged already. */
export function report(what: string, error: unknown, log: Log = stderr): void {
  if (typeof error === "object" && error !== null) {
    if (reported.has(error)) return;
    reported.add(error);
  }
  try {
    log(`${what} failed: ${errorDetail(error)}`);
  } catch {
    // A log that throws has nowhere left to report to; the boundary still holds.
  }
}

/**
 * Runs `fn` inside the boundary: what it throws, or what the promise it
 * returns rejects with, is reported and taken as undefined.
 */
export function guard<T>(what: string, fn: () => Promise<T>, log?: Log): Promise<T | undefined>;
export function guard<T>(what: string, fn: () => T, log?: Log): T | undefined;
export function guard<T>(what: string, fn: () => T | Promise<T>, log: Log = stderr) {
  try {
    const out = fn();
    if (out instanceof Promise) {
      return out.catch((e) => {
        report(what, e, log);
        return undefined;
      });
    }
    return out;
  } catch (e) {
    report(what, e, log);
    return undefined;
  }
}

/**
 * `handler` wrapped in the boundary, for a listener, a callback or a timer;
 * `what` may be worked out from the handler's arguments ("irc: privmsg from
 * alice"), only once it failed.
 */
export function guarded<A extends unknown[]>(
  what: string | ((...args: A) => string),
  handler: (...args: A) => unknown,
  log: Log = stderr,
): (...args: A) => void {
  return (...args: A) => {
    const label = () => {
      if (typeof what === "string") return what;
      try {
        return what(...args);
      } catch {
        return "a handler";
      }
    };
    try {
      const out = handler(...args);
      if (out instanceof Promise) out.catch((e) => report(label(), e, log));
    } catch (e) {
      report(label(), e, log);
    }
  };
}

/**
 * The last boundary: errors no handler caught (a rejected promise nobody
 * awaited, an exception from a bare callback) are reported instead of
 * ending the process. Returns a function that removes it again.
 */
export function catchStray(log: Log = stderr): () => void {
  const rejected = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    report("unhandled promise", e.reason, log);
  };
  const thrown = (e: ErrorEvent) => {
    e.preventDefault();
    report("uncaught exception", e.error ?? e.message, log);
  };
  globalThis.addEventListener("unhandledrejection", rejected);
  globalThis.addEventListener("error", thrown);
  return () => {
    globalThis.removeEventListener("unhandledrejection", rejected);
    globalThis.removeEventListener("error", thrown);
  };
}
