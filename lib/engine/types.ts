/** The engine's vocabulary: who speaks, what they asked, and what comes of it. */
import type { Change } from "../state/model.ts";
import type { Classified } from "./parse.ts";

/** The person behind a line, as the transport saw them. */
export interface Speaker {
  /** Stable key for check-ins and subscriptions: the lower-cased nick, or a services account. */
  id: string;
  /** The nick to show. */
  nick: string;
  /** Where the line was said: in the event channel or in a private message. */
  place: "channel" | "private";
  op: boolean;
  voice: boolean;
}

/** What the engine needs from outside besides the state. */
export interface Context {
  now: Date;
  /** IANA time zone of the event (for "today" and timestamps). */
  timeZone: string;
  /** Base of generated etherpad URLs; the pad name `EVENTID-TRACK` is appended. */
  etherpadBase: string;
  /** Where `help` sends people. */
  helpUrl: string;
}

/** Something to say: to where the command came from, or privately to a subscriber. */
export interface Reply {
  text: string;
  /** Subscriber key for a private notification; absent for a reply to the origin. */
  to?: string;
  /** Set when this reply refuses the command: a refused command changes nothing. */
  refusal?: true;
}

/** The result of one line: the change to commit and the replies to send after it. */
export interface Outcome {
  changes: Change[];
  replies: Reply[];
  /** `~fetchdb`: a URL for the caller to download and hand, parsed, to `loadedDocument`. */
  fetch?: string;
  /** Which command this was (its word; "invalid" for a line that named none), for counting. */
  command?: string;
}

/** Who a command is for, which decides the permission check. */
export type Scope = "user" | "track" | "admin";

/**
 * What a transport (IRC, the console) needs from the program: a line run for
 * a speaker, resolving with what to say (replies to the origin, private
 * notifications with `to`), or undefined for chatter. A transport that read
 * the line already (`classifyLine`) hands over what it read, which is run
 * as it is, not read again.
 */
export interface LineRunner {
  run(who: Speaker, line: string | Classified): Promise<Reply[] | undefined>;
}

/** Builds an outcome that makes these changes and says one thing. */
export function done(changes: Change[], text: string): Outcome {
  return { changes, replies: [{ text }] };
}

/** Builds a refusal: one line saying why, and no change. */
export function refuse(text: string): Outcome {
  return { changes: [], replies: [{ text, refusal: true }] };
}

/** Builds an outcome that only replies. */
export function say(...texts: string[]): Outcome {
  return { changes: [], replies: texts.map((text) => ({ text })) };
}
