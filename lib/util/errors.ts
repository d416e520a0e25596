/**
 * Whatever was thrown (JavaScript lets any value be), as a line to log or
 * to say, or as an Error to pass on.
 *
 * @module
 */

/** The thrown value as an Error. */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** The message of what was thrown: one line for a reply or a log. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What was thrown with its stack, for the log only. */
export function errorDetail(e: unknown): string {
  return e instanceof Error ? e.stack ?? e.message : String(e);
}
