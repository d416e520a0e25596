/** The ways of starting ptgbot agree on its runtime settings. */
import assert from "node:assert/strict";
import { LAUNCH_ENV, RUNTIME_FLAGS, START_FLAGS } from "../../lib/app/launch.ts";

const root = new URL("../..", import.meta.url);
const tasks: Record<string, string> = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).tasks;
const unit = await Deno.readTextFile(new URL("contrib/ptgbot@.service", root));

Deno.test("launch: start and compile use the same flags; start and the unit set the same environment", () => {
  for (const flag of START_FLAGS) assert.ok(tasks.start.includes(` ${flag} `), `start: ${flag}`);
  for (const flag of RUNTIME_FLAGS) assert.ok(tasks.compile.includes(` ${flag} `), `compile: ${flag}`);
  // The start task installs nothing (the test-only packages stay out); it runs the program alone.
  assert.doesNotMatch(tasks.start, /deno install/);
  for (const [name, value] of Object.entries(LAUNCH_ENV)) {
    assert.ok(
      tasks.start.startsWith(`${name}=${value} `) || tasks.start.includes(` ${name}=${value} `),
      name,
    );
    assert.match(unit, new RegExp(`^Environment=${name}=${value}$`, "m"));
  }
});

Deno.test("launch: the start task runs with its environment", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "start", "--version"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(new TextDecoder().decode(out.stdout), /^\d+\.\d+\.\d+$/m);
});
