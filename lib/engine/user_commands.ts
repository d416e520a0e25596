/** What anyone may do: check in and out, look for people, subscribe to topics. */
import { LIMITS } from "../state/limits.ts";
import type { CheckIn, State } from "../state/model.ts";
import { patternProblem } from "./subscriptions.ts";
import { type Context, type Outcome, refuse, say, type Speaker } from "./types.ts";
import { isTrack, quote, stamp } from "./util.ts";

/** `in`: a track or a place. */
export function checkIn(
  state: State,
  who: Speaker,
  where: string,
  ctx: Context,
): Outcome {
  let location: string;
  const bare = where.replace(/^#/, "").toLowerCase();
  if (where.startsWith("#")) {
    if (!isTrack(state, bare)) return refuse(`Unknown track #${quote(bare)}`);
    location = `#${bare}`;
  } else if (!/\s/.test(where) && isTrack(state, bare)) {
    location = `#${bare}`;
  } else {
    if (where.length > LIMITS.location) {
      return refuse(`Location too long (at most ${LIMITS.location} characters)`);
    }
    location = where;
  }
  if (
    !(who.id in state.last_check_in) &&
    Object.keys(state.last_check_in).length >= LIMITS.checkIns
  ) {
    return refuse("Too many people checked in; an operator can start afresh with ~newday");
  }
  const value: CheckIn = { nick: who.nick, location, in: stamp(ctx), out: null };
  return {
    changes: [{ op: "set", map: "last_check_in", key: who.id, value }],
    replies: [{ text: `${who.nick} checked in to ${location}` }],
  };
}

/** `out`: leaves where one checked in, keeping where and when. */
export function checkOut(state: State, who: Speaker, ctx: Context): Outcome {
  const current = state.last_check_in[who.id];
  if (!current) return refuse("You are not checked in");
  if (current.out) {
    return refuse(`You already checked out of ${current.location} at ${current.out}`);
  }
  return {
    changes: [{ op: "set", map: "last_check_in", key: who.id, value: { ...current, out: stamp(ctx) } }],
    replies: [{ text: `${who.nick} checked out of ${current.location}` }],
  };
}

/** Finds a check-in by nick: by key first, then by the nick it was made under. */
function findCheckIn(state: State, nick: string): CheckIn | undefined {
  const lower = nick.toLowerCase();
  const direct = state.last_check_in[lower];
  if (direct) return direct;
  return Object.values(state.last_check_in).find((c) => c.nick.toLowerCase() === lower);
}

/** `seen`: where somebody was last, and when. */
export function seen(state: State, nick: string): Outcome {
  const found = findCheckIn(state, nick);
  if (!found) return say(`${quote(nick, 40)} never checked in`);
  return say(
    found.out
      ? `${found.nick} was last seen in ${found.location} (checked out at ${found.out})`
      : `${found.nick} was last seen in ${found.location} (checked in at ${found.in}, still there)`,
  );
}

/** `subscribe`: shows, sets or replaces a subscription. */
export function subscribe(state: State, who: Speaker, pattern: string | undefined): Outcome {
  const old = state.subscriptions[who.id];
  if (pattern === undefined) {
    return say(old ? `You are subscribed to: ${old}` : "You have no subscription");
  }
  const problem = patternProblem(pattern);
  if (problem) return refuse(problem);
  const text = old
    ? `Subscribed to: ${pattern} (replaces: ${old})`
    : `Subscribed to: ${pattern}; matching now/next topics will come by private message`;
  return {
    changes: [{ op: "set", map: "subscriptions", key: who.id, value: pattern }],
    replies: [{ text }],
  };
}

/** `unsubscribe`: cancels it. */
export function unsubscribe(state: State, who: Speaker): Outcome {
  const old = state.subscriptions[who.id];
  if (!old) return refuse("You have no subscription");
  return {
    changes: [{ op: "del", map: "subscriptions", key: who.id }],
    replies: [{ text: `Unsubscribed from: ${old}` }],
  };
}
