/**
 * Stopping on signals. The first SIGINT or SIGTERM stops cleanly (drain,
 * QUIT, close the store); a second one later leaves at once, for when the
 * clean stop takes too long. One Ctrl-C under `deno task start` reaches the
 * program twice within milliseconds (the terminal signals the whole
 * foreground process group, and `deno task` forwards its own copy), so a
 * SIGINT that closely follows the first is the same key press and ignored.
 *
 * The status line comes on SIGUSR2. Never SIGUSR1: Deno answers that one
 * by opening its debugger on 127.0.0.1:9229, whatever the program does, and
 * anyone on the machine could then run code as the bot; so the program
 * closes that debugger again the moment it sees it open.
 *
 * @module
 */

/** SIGINTs closer together than this are one Ctrl-C delivered twice; a person pressing again takes longer. */
export const SAME_PRESS_MS = 500;

/** The first stop signal received, and when (ms on any monotonic clock). */
export interface FirstSignal {
  signal: Deno.Signal;
  at: number;
}

/** What a stop signal does, given the first one (if any): start the clean stop, ignore it, or leave now. */
export function signalAction(
  first: FirstSignal | undefined,
  signal: Deno.Signal,
  at: number,
): "stop" | "ignore" | "leave" {
  if (!first) return "stop";
  if (signal === "SIGINT" && first.signal === "SIGINT" && at - first.at < SAME_PRESS_MS) return "ignore";
  return "leave";
}

/** Listens for SIGINT and SIGTERM: the first runs `stop` then exits 0; a later one exits 1 at once. */
export function stopOnSignals(
  stop: () => Promise<void>,
  out: { log(line: string): void; error(line: string): void } = console,
  now: () => number = () => performance.now(),
): void {
  let first: FirstSignal | undefined;
  const on = async (signal: Deno.Signal) => {
    const at = now();
    const action = signalAction(first, signal, at);
    if (action === "ignore") return;
    if (action === "leave") {
      out.error(`ptgbot: ${signal} again, leaving now`);
      Deno.exit(1);
    }
    first = { signal, at };
    out.log(`ptgbot: ${signal}, stopping`);
    await stop();
    out.log("ptgbot: stopped cleanly");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => void on("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => void on("SIGTERM"));
}

/** The signal that logs a status line (SIGUSR1 is V8's: it opens the inspector). */
export const STATUS_SIGNAL: Deno.Signal = "SIGUSR2";

/** Writes `status()` to `out` on every STATUS_SIGNAL (nothing on Windows, which has none). */
export function statusOnSignal(status: () => string, out: (line: string) => void = console.error): void {
  if (Deno.build.os === "windows") return;
  Deno.addSignalListener(STATUS_SIGNAL, () => out(`ptgbot: ${status()}`));
}

/** How long after a SIGUSR1 the program watches for Deno's debugger to open, and how often it looks. */
const DEBUGGER_WATCH_MS = 3000;
const DEBUGGER_LOOK_MS = 5;

/**
 * Closes the debugger Deno opens on SIGUSR1 (Node's convention, which Deno
 * offers no way to turn off) as soon as it listens, and says so in one line.
 */
export function closeDebuggerOnSigusr1(out: (line: string) => void = console.error): void {
  if (Deno.build.os === "windows") return;
  let watching = false;
  Deno.addSignalListener("SIGUSR1", async () => {
    if (watching) return;
    watching = true;
    try {
      const { default: inspector } = await import("node:inspector");
      const until = performance.now() + DEBUGGER_WATCH_MS;
      while (performance.now() < until) {
        if (inspector.url()) {
          inspector.close();
          out("ptgbot: SIGUSR1 made Deno open its debugger; closed it again (SIGUSR2 gives the status line)");
          return;
        }
        await new Promise((r) => setTimeout(r, DEBUGGER_LOOK_MS));
      }
    } finally {
      watching = false;
    }
  });
}
