/**
 * Following tracks: `+follow`, `+unfollow`, `+following`. A follow is kept
 * under the speaker's key (their services account when the bot knows it,
 * else their lower-cased nick, as for `subscribe`) and is private: only
 * full backups hold it. The reminders it brings are computed in
 * `lib/state/reminders.ts` and sent by the scheduler.
 *
 * @module
 */
import { LIMITS } from "../state/limits.ts";
import type { State } from "../state/model.ts";
import { type Outcome, refuse, say, type Speaker } from "./types.ts";
import { isTrack, listed, quote } from "./util.ts";

/** What `+unfollow` was given: some tracks, or `all`. */
export type Unfollow = string[] | "all";

/** Track names as typed (`#Nova`, `nova`) to the state's form, without repeats. */
export function trackArgs(args: string[]): string[] {
  return [...new Set(args.map((a) => a.replace(/^#/, "").toLowerCase()))];
}

/** `follow`: adds tracks to the speaker's follows. */
export function follow(state: State, who: Speaker, tracks: string[]): Outcome {
  const unknown = tracks.find((t) => !isTrack(state, t));
  if (unknown !== undefined) return refuse(`Unknown track #${quote(unknown)}; nothing changed`);
  const old = state.follows[who.id] ?? [];
  const added = tracks.filter((t) => !old.includes(t));
  if (!added.length) return refuse(`You already follow ${listed(tracks.map((t) => `#${t}`))}`);
  if (old.length + added.length > LIMITS.followsPerPerson) {
    return refuse(
      `You may follow ${LIMITS.followsPerPerson} tracks at most (you follow ${old.length}); unfollow some first`,
    );
  }
  if (!old.length && Object.keys(state.follows).length >= LIMITS.followers) {
    return refuse(`Too many people follow tracks already (${LIMITS.followers}); try again later`);
  }
  const value = [...old, ...added].sort();
  return {
    changes: [{ op: "set", map: "follows", key: who.id, value }],
    replies: [{
      text: `Following ${listed(added.map((t) => `#${t}`))}: a private notice before and when ` +
        "each slot starts, and when the topic changes (+unfollow to stop)",
    }],
  };
}

/** `unfollow`: removes some tracks, or all of them. */
export function unfollow(state: State, who: Speaker, which: Unfollow): Outcome {
  const old = state.follows[who.id] ?? [];
  if (!old.length) return refuse("You follow no track");
  if (which === "all") {
    return {
      changes: [{ op: "del", map: "follows", key: who.id }],
      replies: [{ text: `You no longer follow ${listed(old.map((t) => `#${t}`))}` }],
    };
  }
  const missing = which.find((t) => !old.includes(t));
  if (missing !== undefined) return refuse(`You do not follow #${quote(missing)}; nothing changed`);
  const value = old.filter((t) => !which.includes(t));
  return {
    changes: [
      value.length
        ? { op: "set", map: "follows", key: who.id, value }
        : { op: "del", map: "follows", key: who.id },
    ],
    replies: [{ text: `You no longer follow ${listed(which.map((t) => `#${t}`))}` }],
  };
}

/** `following`: the speaker's follows. */
export function following(state: State, who: Speaker): Outcome {
  const tracks = state.follows[who.id] ?? [];
  if (!tracks.length) return say("You follow no track; try: +follow #TRACK");
  return say(`You follow ${listed(tracks.map((t) => `#${t}`), LIMITS.followsPerPerson)}`);
}
