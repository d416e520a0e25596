/** The engine's vocabulary: who speaks, what they asked, and what comes of it. */
import type { Change, MotdLevel } from "../state/model.ts";

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
}

/** The result of one line: the change to commit and the replies to send after it. */
export interface Outcome {
  changes: Change[];
  replies: Reply[];
  /** `~fetchdb`: a URL for the caller to load and hand to `applyDocument`. */
  fetch?: string;
}

/** A track moderator's request. */
export type TrackAction =
  | { verb: "now" | "next"; topic: string }
  | { verb: "clean" }
  | { verb: "etherpad" | "url" | "color" | "location"; value: string }
  | { verb: "book" | "unbook"; code: string };

/** An operator's request. */
export type AdminAction =
  | { verb: "list" | "newday" | "emptydb" | "requirevoice" | "alloweveryone" | "motd-clean" }
  | { verb: "add" | "del" | "clean"; tracks: string[] }
  | { verb: "motd-add"; level: MotdLevel; message: string }
  | { verb: "motd-del"; index: number }
  | { verb: "motd-reorder"; order: number[] }
  | { verb: "fetchdb"; url: string };

/** Every command a line can hold. */
export type Command =
  | { kind: "help" }
  | { kind: "in"; where: string }
  | { kind: "out" }
  | { kind: "seen"; nick: string }
  | { kind: "subscribe"; pattern?: string }
  | { kind: "unsubscribe" }
  | { kind: "track"; track: string; action: TrackAction }
  | { kind: "admin"; action: AdminAction };

/** Who a command is for, which decides the permission check. */
export type Scope = "user" | "track" | "admin";

/** A parsed line: a command, or a refusal to answer after the permission check. */
export type Parsed =
  | { scope: Scope; command: Command }
  | { scope: Scope; error: string };

/** Builds an outcome that makes these changes and says one thing. */
export function done(changes: Change[], text: string): Outcome {
  return { changes, replies: [{ text }] };
}

/** Builds an outcome that only replies. */
export function say(...texts: string[]): Outcome {
  return { changes: [], replies: texts.map((text) => ({ text })) };
}
