/**
 * docs/deploy.md as an organiser follows it, with the bundle standing in
 * for the compiled binary and pebble for Let's Encrypt: a folder holding
 * only the program (`ptgbot`, which runs the bundle), the sample config and
 * a grid; the first start gets its certificate and says where HTTPS is
 * served; `help` hands out the HTTPS address; the backup, restart and
 * restore lines run as the page writes them (through bash), read from the
 * page itself, so that the page and this test change together.
 */
import assert from "node:assert/strict";
import { CLOCK_FAKED, curl, DOMAIN, freePort, servedChain, startPebble } from "../helpers/pebble.ts";
import { type Bot, healthOf, spawnBot } from "../helpers/process.ts";
import { E2E } from "../helpers/e2e.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
/** Where deploy.md installs the program; the test's folder takes its place. */
const SRV = "/srv/ptgbot";

/** The commands of deploy.md's `sh` blocks, a line each (continuations joined, comments dropped). */
async function deployCommands(): Promise<string[]> {
  const text = await Deno.readTextFile(`${ROOT}/docs/deploy.md`);
  const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  return blocks.flatMap((b) =>
    b.replace(/\\\n\s*/g, "").split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter(Boolean)
  );
}

/** The one command of deploy.md matching `re`, made to run in `srv` as the test's user. */
async function docCommand(re: RegExp, srv: string): Promise<string> {
  const found = (await deployCommands()).filter((l) => re.test(l));
  assert.equal(found.length, 1, `docs/deploy.md has one command matching ${re}: ${JSON.stringify(found)}`);
  return found[0].replaceAll(SRV, srv).replace(/\bsudo -u ptgbot /g, "").replace(/^sudo /, "");
}

/** Runs a command line through bash in `cwd`. */
async function bash(line: string, cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("bash", { args: ["-c", line], cwd, env, stdin: "null" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The bundle, built as `deno task bundle` builds it, as `ptgbot` in `srv`: the stand-in for the binary. */
async function installProgram(srv: string): Promise<void> {
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--unstable-raw-imports", "-o", `${srv}/ptgbot.js`, "main.ts"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
  await Deno.writeTextFile(
    `${srv}/ptgbot`,
    `#!/bin/sh\nexec '${Deno.execPath()}' run -A --unstable-kv --unstable-net "$(dirname "$0")/ptgbot.js" "$@"\n`,
  );
  await Deno.chmod(`${srv}/ptgbot`, 0o755);
}

/** The page's state over HTTPS, as a visitor gets it. */
async function served(httpsPort: number, ca: string): Promise<{ now: Record<string, string> }> {
  const r = await new Deno.Command("curl", {
    args: [
      "-sS",
      "--cacert",
      ca,
      "--resolve",
      `${DOMAIN}:${httpsPort}:127.0.0.1`,
      `https://${DOMAIN}:${httpsPort}/ptg.json`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

/** Polls until `ok` holds (a running bot follows an import within a second). */
async function until(what: string, ok: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test({
  name:
    "deploy walk: docs/deploy.md from the program and a config to HTTPS, a backup, a restart and a restore",
  // pebble (Go) reads the clock through the vDSO, past faketime: its certificates would be
  // expired or not yet valid on the faked clock. Certificate lifetimes are wall-clock time.
  ignore: CLOCK_FAKED,
  ...E2E,
}, async () => {
  const srv = await Deno.makeTempDir({ prefix: "ptgbot-srv-" });
  const pebbleDir = await Deno.makeTempDir({ prefix: "ptgbot-pebble-" });
  const httpPort = freePort();
  const httpsPort = freePort();
  const pebble = await startPebble(pebbleDir, httpPort);
  const env = { DENO_CERT: pebble.tlsCert };
  let bot: Bot | undefined;
  let successorPid: number | undefined;
  try {
    // 1. The program, alone in its folder.
    await installProgram(srv);

    // 3. The config: the sample copied and locked as the page writes it, then the keys it lists.
    for (const re of [/cp config\.json\.sample /, /chmod 600 /]) {
      const line = await docCommand(re, srv);
      const done = await bash(line, ROOT);
      assert.equal(done.code, 0, `${line}: ${done.stderr}`);
    }
    assert.equal((await Deno.stat(`${srv}/config.json`)).mode! & 0o777, 0o600);
    await Deno.copyFile(`${ROOT}/examples/event.csv`, `${srv}/event.csv`);
    const config = JSON.parse(await Deno.readTextFile(`${srv}/config.json`));
    // No IRC here (tests reach loopback only); commands come from the console instead.
    for (const key of Object.keys(config)) if (key.startsWith("irc_")) delete config[key];
    Object.assign(config, {
      timezone: "UTC",
      base: "event.csv",
      https_domains: [DOMAIN],
      acme_email: "organiser@example.org",
      acme_directory: pebble.directory,
      // The page's 0.0.0.0 would listen on every address; the test keeps to loopback.
      http_host: "127.0.0.1",
      http_port: httpPort,
      https_port: httpsPort,
      console: true,
    });
    await Deno.writeTextFile(`${srv}/config.json`, JSON.stringify(config, null, 2));

    // 4. The first start: plain HTTP at once, then the certificate, and one line saying HTTPS is served.
    bot = await spawnBot(`${srv}/ptgbot`, ["config.json"], srv, env);
    await bot.waitFor(
      new RegExp(`^ptgbot: serving https://${DOMAIN.replace(".", "\\.")}:${httpsPort}/$`),
      30_000,
    );
    const ca = `${pebbleDir}/root.pem`;
    await Deno.writeTextFile(ca, await pebble.root());
    const page = await curl(httpsPort, ca, ["--http2"], ["/ptg.html"]);
    assert.equal(page.out.trim(), "200 2 0", page.err);
    // Every link the bot hands out is the public HTTPS address, not where it listens.
    await bot.send("+help");
    await bot.waitFor(
      new RegExp(
        `^ptgbot commands are explained at https://${
          DOMAIN.replace(".", "\\.")
        }:${httpsPort}/ptg\\.html#help$`,
      ),
    );
    await bot.send("#nova now Before the backup");
    await bot.waitFor(/^#nova now: Before the backup/);

    // 7. The backup, exactly as the page writes it: --export makes backups/ on a fresh install.
    const backup = await bash(await docCommand(/--export backups\//, srv), srv, env);
    assert.equal(backup.code, 0, backup.stderr);
    const files = [...Deno.readDirSync(`${srv}/backups`)].map((e) => e.name);
    assert.equal(files.length, 1, String(files));
    assert.match(files[0], /^ptg-\d{4}-\d\d-\d\d-\d{4}\.json$/);
    assert.equal((await Deno.stat(`${srv}/backups/${files[0]}`)).mode! & 0o777, 0o600);

    // 5. A restart with HTTPS on: the successor serves the stored certificate, the first process leaves.
    // `ptgbot restart CONFIG` as deploy.md writes it: exit 0 and one line.
    const serial = (await servedChain(httpsPort))[0].serialNumber;
    const firstPid = (await healthOf(httpPort)).pid;
    const restart = await bash(await docCommand(/ptgbot restart config\.json/, srv), srv, env);
    assert.equal(restart.code, 0, restart.stderr);
    assert.equal(restart.stdout.trim().split("\n").length, 1, restart.stdout);
    successorPid = (await healthOf(httpPort)).pid;
    assert.notEqual(successorPid, firstPid);
    assert.equal((await bot.proc.status).code, 0, bot.output.join("\n"));
    bot = undefined;
    assert.equal((await servedChain(httpsPort))[0].serialNumber, serial, "no new certificate for a restart");
    assert.equal((await served(httpsPort, ca)).now.nova, "Before the backup");

    // The state moves on; then the restore, as the page writes it, into the running bot's store.
    const moved = await bash(`./ptgbot config.json --import event.csv`, srv, env);
    assert.equal(moved.code, 0, moved.stderr);
    await until("the running bot serves the grid again", async () => !(await served(httpsPort, ca)).now.nova);
    const restore = (await docCommand(/--import backups\//, srv)).replace(/ptg-[\d-]+\.json/, files[0]);
    const restored = await bash(restore, srv, env);
    assert.equal(restored.code, 0, restored.stderr);
    await until(
      "the running bot serves the backup",
      async () => (await served(httpsPort, ca)).now.nova === "Before the backup",
    );
    assert.equal((await healthOf(httpPort)).pid, successorPid, "restored without a restart");
  } finally {
    if (bot) await bot.stop();
    if (successorPid) {
      try {
        Deno.kill(successorPid, "SIGTERM");
      } catch { /* already gone */ }
    }
    await pebble.stop();
    await Deno.remove(srv, { recursive: true });
    await Deno.remove(pebbleDir, { recursive: true });
  }
});
