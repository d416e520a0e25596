/** Small helpers the command modules share. */
import { localTime } from "../state/clock.ts";
import type { State } from "../state/model.ts";
import { scheduleDay } from "../state/schedule.ts";
import type { Context } from "./types.ts";

/** The state's timestamp format for the context's moment. */
export function stamp(ctx: Context): string {
  return localTime(ctx.now, ctx.timeZone).stamp;
}

/** The schedule day that counts as today. */
export function today(state: State, ctx: Context): string | undefined {
  return scheduleDay(state, localTime(ctx.now, ctx.timeZone).weekday);
}

/** True when the track is in the track list. */
export function isTrack(state: State, track: string): boolean {
  return state.tracks.includes(track);
}
