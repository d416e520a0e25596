/**
 * The command line as the docs give it: the backup line on a fresh install
 * (its dated folder does not exist yet), and every command-line error as
 * one line and a non-zero exit, never a stack trace.
 */
import assert from "node:assert/strict";
import { runMain } from "../helpers/process.ts";
import { removing } from "../helpers/e2e.ts";

/** A fresh install: a folder holding only a config whose paths are relative (to the config's folder). */
async function freshInstall(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-cli-" });
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({ kv_path: "ptgbot.kv", http_host: "127.0.0.1", http_port: 0 }),
    { mode: 0o600 },
  );
  return dir;
}

function oneErrorLine(out: { code: number; stdout: string; stderr: string }, re: RegExp): void {
  assert.notEqual(out.code, 0);
  const lines = out.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line expected, got:\n${out.stderr}`);
  assert.match(lines[0], re);
  assert.doesNotMatch(out.stderr, /^\s+at /m, "no stack trace");
}

Deno.test("cli: the documented backup line works on a fresh install (it creates backups/)", async () => {
  const dir = await freshInstall();
  await using _dir = removing(dir);
  const out = await runMain(["config.json", "--export", "backups/ptg-2026-05-04-1200.json"], dir);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout.trim(), "ptgbot: wrote backups/ptg-2026-05-04-1200.json");
  const written = await Deno.stat(`${dir}/backups/ptg-2026-05-04-1200.json`);
  assert.equal(written.mode! & 0o777, 0o600);
  JSON.parse(await Deno.readTextFile(`${dir}/backups/ptg-2026-05-04-1200.json`));
  // The store is the config's, next to it.
  await Deno.stat(`${dir}/ptgbot.kv`);
});

Deno.test("cli: every error is one line and a non-zero exit", async () => {
  const dir = await freshInstall();
  await using _dir = removing(dir);
  await Deno.writeTextFile(`${dir}/file`, "");
  // A folder that cannot be made (a file is in the way).
  oneErrorLine(
    await runMain(["config.json", "--export", "file/b.json"], dir),
    /^ptgbot: --export file\/b\.json: /,
  );
  // A store in a folder that does not exist: the store cannot be opened.
  await Deno.writeTextFile(`${dir}/nowhere.json`, JSON.stringify({ kv_path: "no/such/dir/s.kv" }));
  oneErrorLine(await runMain(["nowhere.json", "--export", "x.json"], dir), /^ptgbot: /);
  oneErrorLine(await runMain(["missing.json"], dir), /^ptgbot: cannot read config missing\.json: /);
  oneErrorLine(await runMain(["restart"], dir), /^ptgbot: restart takes one config file/);
  oneErrorLine(await runMain(["restart", "missing.json"], dir), /^ptgbot: cannot read config /);
  oneErrorLine(
    await runMain(["restart", "config.json", "--timeout", "soon"], dir),
    /^ptgbot: --timeout soon: give seconds/,
  );
  oneErrorLine(await runMain(["restart", "config.json"], dir), /^restart: the config's http_port is 0/);
  oneErrorLine(
    await runMain(["config.json", "--log", "x"], dir),
    /^ptgbot: --log and --timeout go with restart/,
  );
  oneErrorLine(await runMain(["--nope"], dir), /^ptgbot: .*--nope.*\(see --help\)$/);
});
