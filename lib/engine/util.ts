/** Small helpers the command modules share. */
import type { State } from "../state/model.ts";
import { localTime, todayOf } from "../shared/rules.js";
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

/** Control characters left in a line (the IRC side strips formatting first) become spaces. */
export function cleanLine(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f]/g, " ");
}

/** Shortens what a user typed before echoing it in a reply. */
export function quote(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Names for a reply, the first few of them: a line of 1,000 names helps nobody and floods IRC. */
export function listed(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => quote(n, 40)).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
