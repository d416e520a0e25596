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

// Patterns without any regex syntax are searched as plain text: the same
// answer as RE2 for ASCII patterns, without running a matcher for each.
const LITERAL = /^[A-Za-z0-9 _\-#:,'"!@%&=<>~`/;]*$/;

/** True when `pattern` occurs in `text` as RE2 would find it, case-insensitively. */
export function patternMatches(pattern: string, text: string, lowerText = text.toLowerCase()): boolean {
  if (LITERAL.test(pattern)) return lowerText.includes(pattern.toLowerCase());
  const re = compilePattern(pattern);
  return re !== null && re.matcher(text).find();
}

/**
 * The private notifications for a new `now`/`next` topic: `#track now topic`,
 * to each subscriber whose pattern matches and, for `now`, to each follower
 * of the track. Someone who is both gets one notice naming both reasons.
 */
export function notify(state: State, track: string, verb: "now" | "next", topic: string): Reply[] {
  const text = `#${track} ${verb} ${topic}`;
  const lower = text.toLowerCase();
  const reasons = new Map<string, string[]>();
  if (verb === "now") {
    for (const [id, tracks] of Object.entries(state.follows)) {
      if (tracks.includes(track)) reasons.set(id, [`you follow #${track}`]);
    }
  }
  const seen = new Map<string, boolean>();
  for (const [id, pattern] of Object.entries(state.subscriptions)) {
    if (!pattern) continue;
    let hit = seen.get(pattern);
    if (hit === undefined) seen.set(pattern, hit = patternMatches(pattern, text, lower));
    if (!hit) continue;
    const why = `your subscription: ${pattern}`;
    const list = reasons.get(id);
    if (list) list.push(why);
    else reasons.set(id, [why]);
  }
  return [...reasons].map(([to, why]) => ({ to, text: `${text} (${why.join("; ")})` }));
}
