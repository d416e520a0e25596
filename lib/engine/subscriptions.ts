/** Subscription patterns: RE2 syntax, linear-time matching, so no pattern can hang the bot. */
import { RE2JS } from "re2js";
import { LIMITS } from "../state/limits.ts";
import type { State } from "../state/model.ts";
import type { Reply } from "./types.ts";

const cache = new Map<string, RE2JS | null>();

/** Compiles a pattern case-insensitively; null when RE2 refuses it. */
export function compilePattern(pattern: string): RE2JS | null {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    } catch {
      re = null;
    }
    if (cache.size >= 5000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > LIMITS.pattern) {
    return `Pattern too long (${pattern.length} characters, at most ${LIMITS.pattern})`;
  }
  if (compilePattern(pattern) === null) {
    return "Not a valid RE2 regular expression (no backreferences or lookaround)";
  }
  return undefined;
}

/** The private notifications for a new `now`/`next` topic: `#track now topic`. */
export function notify(state: State, track: string, verb: "now" | "next", topic: string): Reply[] {
  const text = `#${track} ${verb} ${topic}`;
  const out: Reply[] = [];
  for (const [id, pattern] of Object.entries(state.subscriptions)) {
    if (!pattern) continue;
    const re = compilePattern(pattern);
    if (re && re.matcher(text).find()) out.push({ to: id, text: `${text} (your subscription: ${pattern})` });
  }
  return out;
}
