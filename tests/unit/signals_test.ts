/** Which stop signal starts the clean stop, which is the same Ctrl-C twice, and which leaves at once. */
import assert from "node:assert/strict";
import { SAME_PRESS_MS, signalAction } from "../../lib/app/signals.ts";

Deno.test("signals: the first stops; a SIGINT right after it is the same press; anything later leaves", () => {
  assert.equal(signalAction(undefined, "SIGINT", 0), "stop");
  assert.equal(signalAction(undefined, "SIGTERM", 0), "stop");
  const int = { signal: "SIGINT" as const, at: 1000 };
  assert.equal(signalAction(int, "SIGINT", 1000), "ignore");
  assert.equal(signalAction(int, "SIGINT", 1000 + SAME_PRESS_MS - 1), "ignore");
  assert.equal(signalAction(int, "SIGINT", 1000 + SAME_PRESS_MS), "leave");
  assert.equal(signalAction(int, "SIGINT", 2100), "leave");
  // SIGTERM is never doubled by a terminal: a second one is meant.
  assert.equal(signalAction(int, "SIGTERM", 1001), "leave");
  assert.equal(signalAction({ signal: "SIGTERM", at: 1000 }, "SIGTERM", 1001), "leave");
  assert.equal(signalAction({ signal: "SIGTERM", at: 1000 }, "SIGINT", 1001), "leave");
});
