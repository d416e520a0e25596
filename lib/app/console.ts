/** The console: each typed line runs as a channel operator's, replies printed. */
import type { Speaker } from "../engine/types.ts";
import type { Runner } from "./runner.ts";
import { guard, type Log, report } from "../util/boundary.ts";

/** The console's speaker: an operator in the channel. */
const CONSOLE_SPEAKER: Speaker = {
  id: "console",
  nick: "console",
  place: "channel",
  op: true,
  voice: true,
};

/** Splits a byte stream into lines. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}

/**
 * Runs lines from `input` until it ends; `print` gets each reply line.
 * `words` are the console's own (e.g. `status`): a line that is exactly one
 * of them prints its answer instead of going to the engine, which ignores
 * lines without a command sigil anyway.
 */
export async function runConsole(
  runner: Runner,
  input: ReadableStream<Uint8Array>,
  print: (line: string) => void,
  words: Record<string, () => string> = {},
  log?: Log,
): Promise<void> {
  for await (const line of lines(input)) {
    if (!line.trim()) continue;
    const word = line.trim().toLowerCase();
    if (Object.hasOwn(words, word)) {
      const answer = guard(`console: ${word}`, words[word], log);
      print(answer ?? "Sorry, that failed; see the log");
      continue;
    }
    try {
      const replies = await runner.run(CONSOLE_SPEAKER, line);
      if (!replies) {
        print(`(ignored: commands start with ~, # or +; try #help${words.status ? ", or status" : ""})`);
        continue;
      }
      for (const r of replies) print(r.to ? `-> ${r.to}: ${r.text}` : r.text);
    } catch (e) {
      report(`console: ${JSON.stringify(line.slice(0, 80))}`, e, log);
      print("Sorry, that command failed; see the log");
    }
  }
}
