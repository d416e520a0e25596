/** Small helpers the command modules share. */
import { localTime } from "../shared/rules.js";
import type { State } from "../state/model.ts";
import { todayOf } from "../shared/rules.js";
import type { Context } from "./types.ts";

/** The state's timestamp format for the context's moment. */
export function stamp(ctx: Context): string {
  return localTime(ctx.now, ctx.timeZone).stamp;
}

/** The event day that is today, if any (see the shared rules). */
export function today(state: State, ctx: Context): string | undefined {
  return todayOf(state.slots, ctx.now, ctx.timeZone);
}

/** True when the track is in the track list. */
export function isTrack(state: State, track: string): boolean {
  return state.tracks.includes(track);
}
