/**
 * The command engine: a line and its speaker in, the change and the replies
 * out. It reads the state and never writes it; the caller commits the
 * changes and then sends the replies.
 *
 * @module
 */
import type { State } from "../state/model.ts";
import { type Classified, classifyLine, type Parsed } from "./parse.ts";
import { refusal } from "./permissions.ts";
import { type Context, type Outcome, refuse, type Speaker } from "./types.ts";
import { isTrack, quote } from "./util.ts";

/**
 * Runs one line: text, read here for the speaker's place, or a line a
 * transport read already (`classifyLine`), which is not read again.
 * Returns undefined for channel chatter the bot ignores.
 */
export function runLine(
  state: State,
  who: Speaker,
  line: string | Classified,
  ctx: Context,
): Outcome | undefined {
  const { parsed } = typeof line === "string" ? classifyLine(line, who.place) : line;
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
