/**
 * The command engine: a line and its speaker in, the change and the replies
 * out. It reads the state and never writes it; the caller commits the
 * changes (see `applyChanges`) and then sends the replies.
 */
import type { State } from "../state/model.ts";
import { quote } from "./parse.ts";
import { parseChannelLine, parsePrivateLine } from "./parse.ts";
import { refusal } from "./permissions.ts";
import { adminCommand } from "./admin_commands.ts";
import { trackCommand } from "./track_commands.ts";
import { userCommand } from "./user_commands.ts";
import { type Command, type Context, type Outcome, say, type Speaker } from "./types.ts";
import { isTrack } from "./util.ts";

/** Control characters left in a line (the IRC side strips formatting first) become spaces. */
export function cleanLine(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f]/g, " ");
}

/** Runs a command that passed the permission check. */
export function execute(state: State, who: Speaker, command: Command, ctx: Context): Outcome {
  switch (command.kind) {
    case "help":
      return say(`ptgbot commands are explained at ${ctx.helpUrl}`);
    case "track":
      if (!isTrack(state, command.track)) return say(`Unknown track #${quote(command.track)}`);
      return trackCommand(state, command.track, command.action, ctx);
    case "admin":
      return adminCommand(state, command.action, ctx);
    default:
      return userCommand(state, who, command, ctx);
  }
}

/**
 * Runs one line. Returns undefined for channel chatter the bot ignores.
 */
export function runLine(state: State, who: Speaker, line: string, ctx: Context): Outcome | undefined {
  const text = cleanLine(line);
  const parsed = who.place === "channel" ? parseChannelLine(text) : parsePrivateLine(text);
  if (!parsed) return undefined;
  const denied = refusal(state, who, parsed.scope);
  if (denied) return say(denied);
  if ("error" in parsed) return say(parsed.error);
  return execute(state, who, parsed.command, ctx);
}
