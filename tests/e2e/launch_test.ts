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

Deno.test("launch: the start task's own lock is current and holds the program's packages only", async () => {
  // --frozen: fails if deno.json's imports or the program's graph changed since `deno task lock:start`.
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--frozen",
      "-A",
      "--node-modules-dir=none",
      "--lock=deno.start.lock",
      "main.ts",
      "--version",
    ],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, `run deno task lock:start: ${new TextDecoder().decode(out.stderr)}`);
  const locked = Object.keys(
    JSON.parse(await Deno.readTextFile(new URL("deno.start.lock", root))).specifiers,
  );
  // What the program imports (lib/ and main.ts), by package name, against deno.json's imports.
  const imports: Record<string, string> =
    JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).imports;
  let source = await Deno.readTextFile(new URL("main.ts", root));
  const walk = async (dir: URL) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir));
      else if (/\.(ts|js)$/.test(e.name)) source += await Deno.readTextFile(new URL(e.name, dir));
    }
  };
  await walk(new URL("lib/", root));
  for (const [name, spec] of Object.entries(imports)) {
    if (name.endsWith("/") || !spec.startsWith("npm:")) continue;
    const used = new RegExp(`(from |import\\()"${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(/[^"]*)?"`)
      .test(source);
    assert.equal(locked.includes(spec), used, `${spec}: ${used ? "used by the program" : "test-only"}`);
  }
});
