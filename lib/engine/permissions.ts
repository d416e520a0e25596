/** Who may run which kind of command. */
import type { State } from "../state/model.ts";
import type { Scope, Speaker } from "./types.ts";

/** The refusal for a speaker and a command scope, or undefined when allowed. */
export function refusal(state: State, who: Speaker, scope: Scope): string | undefined {
  if (scope === "admin" && !who.op) return "Need op for admin commands";
  if (scope === "track" && state.voice === 1 && !who.op && !who.voice) {
    return "Need voice to issue commands";
  }
  return undefined;
}
