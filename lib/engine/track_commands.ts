/** What track moderators do: topics, links, colour, location and room booking. */
import { LIMITS } from "../state/limits.ts";
import { type Change, dict, type State } from "../state/model.ts";
import { findSlot, roomOfTrack } from "../state/schedule.ts";
import { isCssColor, isWebUrl } from "../state/validate.ts";
import { notify } from "./subscriptions.ts";
import { type Context, done, type Outcome, refuse } from "./types.ts";
import { quote, today } from "./util.ts";

/** `now` and `next`: the current topic, or one more upcoming. */
export function topic(
  state: State,
  track: string,
  verb: "now" | "next",
  text: string,
  ctx: Context,
): Outcome {
  if (text.length > LIMITS.topic) {
    return refuse(`Topic too long (${text.length} characters, at most ${LIMITS.topic})`);
  }
  const changes: Change[] = [];
  const room = roomOfTrack(state, track, today(state, ctx), ctx.now);
  const warning = room ? "" : ` (note: #${track} has no room scheduled today)`;
  if (verb === "now") {
    changes.push({ op: "set", map: "now", key: track, value: text });
    if (track in state.next) changes.push({ op: "del", map: "next", key: track });
    if (room && !state.location[track]) {
      changes.push({ op: "set", map: "location", key: track, value: room });
    }
    // Where the page says the track is: its location override, else today's room.
    const where = state.location[track] || room || "";
    changes.push({ op: "record", entry: { at: ctx.now.toISOString(), track, room: where, topic: text } });
  } else {
    const list = state.next[track] ?? [];
    if (list.length >= LIMITS.nextItems) {
      return refuse(
        `#${track} already has ${LIMITS.nextItems} upcoming topics; move on with #${track} now or #${track} clean`,
      );
    }
    changes.push({ op: "set", map: "next", key: track, value: [...list, text] });
  }
  return {
    changes,
    replies: [{ text: `#${track} ${verb}: ${text}${warning}` }, ...notify(state, track, verb, text)],
  };
}

/** `etherpad` and `url`: a link of the track's own, or back to the default. */
export function link(state: State, track: string, verb: "etherpad" | "url", value: string): Outcome {
  const map = verb === "etherpad" ? "etherpads" : "urls";
  const reset = verb === "etherpad" ? "auto" : "none";
  if (value.toLowerCase() === reset) {
    return done(
      track in state[map] ? [{ op: "del", map, key: track }] : [],
      verb === "etherpad"
        ? `#${track} etherpad is the generated one again`
        : `#${track} has no URL of its own now (its room's is used)`,
    );
  }
  if (!isWebUrl(value)) return refuse(`Not an http(s) URL: ${quote(value)} (or say ${reset})`);
  return done([{ op: "set", map, key: track, value }], `#${track} ${verb} set to ${value}`);
}

/** `book` and `unbook`: a free slot of a room. */
export function book(state: State, track: string, code: string, booking: boolean): Outcome {
  const found = findSlot(state, code);
  if (!found) {
    return refuse(`No slot ${quote(code)}; slot codes look like ROOM-SLOT and are on the schedule page`);
  }
  const { room, slot } = found;
  const holder = state.schedule[room][slot];
  const value = dict(state.schedule[room]);
  if (booking) {
    if (holder === track) return refuse(`#${track} already has ${room}-${slot}`);
    if (holder) return refuse(`${room}-${slot} is already booked by #${holder}`);
    value[slot] = track;
    return done([{ op: "room", room, value }], `#${track} booked ${room}-${slot}`);
  }
  if (holder !== track) return refuse(`${room}-${slot} is not booked by #${track}`);
  value[slot] = "";
  return done([{ op: "room", room, value }], `#${track} freed ${room}-${slot}`);
}

/** `clean`: removes the track's `now` and `next`. */
export function cleanTrack(state: State, track: string): Outcome {
  const changes: Change[] = [];
  if (track in state.now) changes.push({ op: "del", map: "now", key: track });
  if (track in state.next) changes.push({ op: "del", map: "next", key: track });
  return done(changes, changes.length ? `#${track} cleaned` : `#${track} had nothing to clean`);
}

/** `color`: the badge colour. */
export function setColor(track: string, value: string): Outcome {
  if (!isCssColor(value)) {
    return refuse(`Not a CSS colour: ${quote(value)} (try a name like teal, or #1f6f8b)`);
  }
  const color = value.trim();
  return done([{ op: "set", map: "colors", key: track, value: color }], `#${track} colour set to ${color}`);
}

/** `location`: overrides the room found in the schedule. */
export function setLocation(track: string, value: string): Outcome {
  if (value.length > LIMITS.location) {
    return refuse(`Location too long (at most ${LIMITS.location} characters)`);
  }
  return done([{ op: "set", map: "location", key: track, value }], `#${track} location set to ${value}`);
}
