/** What track moderators do: topics, links, colour, location and room booking. */
import { LIMITS } from "../state/limits.ts";
import { type Change, dict, type State } from "../state/model.ts";
import { findSlot, roomOfTrack } from "../state/schedule.ts";
import { isCssColor, isWebUrl } from "../state/validate.ts";
import { quote } from "./parse.ts";
import { notify } from "./subscriptions.ts";
import { type Context, done, type Outcome, say, type TrackAction } from "./types.ts";
import { today } from "./util.ts";

function topic(state: State, track: string, verb: "now" | "next", text: string, ctx: Context): Outcome {
  if (text.length > LIMITS.topic) {
    return say(`Topic too long (${text.length} characters, at most ${LIMITS.topic})`);
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
  } else {
    const list = state.next[track] ?? [];
    if (list.length >= LIMITS.nextItems) {
      return say(
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

function link(state: State, track: string, verb: "etherpad" | "url", value: string): Outcome {
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
  if (!isWebUrl(value)) return say(`Not an http(s) URL: ${quote(value)} (or say ${reset})`);
  return done([{ op: "set", map, key: track, value }], `#${track} ${verb} set to ${value}`);
}

function book(state: State, track: string, code: string, booking: boolean): Outcome {
  const found = findSlot(state, code);
  if (!found) {
    return say(`No slot ${quote(code)}; slot codes look like ROOM-SLOT and are on the schedule page`);
  }
  const { room, slot } = found;
  const holder = state.schedule[room][slot];
  const value = dict(state.schedule[room]);
  if (booking) {
    if (holder === track) return say(`#${track} already has ${room}-${slot}`);
    if (holder) return say(`${room}-${slot} is already booked by #${holder}`);
    value[slot] = track;
    return done([{ op: "room", room, value }], `#${track} booked ${room}-${slot}`);
  }
  if (holder !== track) return say(`${room}-${slot} is not booked by #${track}`);
  value[slot] = "";
  return done([{ op: "room", room, value }], `#${track} freed ${room}-${slot}`);
}

/** Runs one track command; the track is known to exist. */
export function trackCommand(
  state: State,
  track: string,
  action: TrackAction,
  ctx: Context,
): Outcome {
  switch (action.verb) {
    case "now":
    case "next":
      return topic(state, track, action.verb, action.topic, ctx);
    case "clean": {
      const changes: Change[] = [];
      if (track in state.now) changes.push({ op: "del", map: "now", key: track });
      if (track in state.next) changes.push({ op: "del", map: "next", key: track });
      return done(changes, changes.length ? `#${track} cleaned` : `#${track} had nothing to clean`);
    }
    case "etherpad":
    case "url":
      return link(state, track, action.verb, action.value);
    case "color":
      if (!isCssColor(action.value)) {
        return say(`Not a CSS colour: ${quote(action.value)} (try a name like teal, or #1f6f8b)`);
      }
      return done(
        [{ op: "set", map: "colors", key: track, value: action.value.trim() }],
        `#${track} colour set to ${action.value.trim()}`,
      );
    case "location":
      if (action.value.length > LIMITS.location) {
        return say(`Location too long (at most ${LIMITS.location} characters)`);
      }
      return done(
        [{ op: "set", map: "location", key: track, value: action.value }],
        `#${track} location set to ${action.value}`,
      );
    case "book":
    case "unbook":
      return book(state, track, action.code, action.verb === "book");
  }
}
