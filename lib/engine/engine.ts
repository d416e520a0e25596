/**
 * The command engine: a line and its speaker in, the change and the replies
 * out. It reads the state and never writes it; the caller commits the
 * changes and then sends the replies.
 *
 * @module
 */
import type { State } from "../state/model.ts";
import { parseChannelLine, type Parsed, parsePrivateLine } from "./parse.ts";
import { refusal } from "./permissions.ts";
import { type Context, type Outcome, refuse, type Speaker } from "./types.ts";
import { cleanLine, isTrack, quote } from "./util.ts";

/** Runs one line. Returns undefined for channel chatter the bot ignores. */
export function runLine(state: State, who: Speaker, line: string, ctx: Context): Outcome | undefined {
  const text = cleanLine(line);
  const parsed = who.place === "channel" ? parseChannelLine(text) : parsePrivateLine(text);
  if (!parsed) return undefined;
  const command = "error" in parsed ? "invalid" : parsed.spec.words[0];
  return { ...runParsed(state, who, parsed, ctx), command };
}

function runParsed(state: State, who: Speaker, parsed: Parsed, ctx: Context): Outcome {
  const denied = refusal(state, who, parsed.scope);
  if (denied) return refuse(denied);
  if ("error" in parsed) return refuse(parsed.error);
  const { spec, value, track } = parsed;
  if (spec.scope === "track" && !isTrack(state, track)) return refuse(`Unknown track #${quote(track)}`);
  return spec.run({ state, who, ctx, track, value });
}
