/** The program as users start it: help, version, config checks, the console, import and export. */
import assert from "node:assert/strict";
import { runMain, startBot, withConfig } from "../helpers/process.ts";
import { localTime } from "../../lib/shared/rules.js";
import { stopping } from "../helpers/e2e.ts";

Deno.test("main: --help and --version", async () => {
  const dir = await Deno.makeTempDir();
  const help = await runMain(["--help"], dir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ptgbot \d+\.\d+\.\d+: IRC bot/);
  assert.match(help.stdout, /--import FILE/);
  const version = await runMain(["--version"], dir);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const bad = await runMain(["--frobnicate"], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^ptgbot: .*frobnicate.*\(see --help\)\n$/);
});

Deno.test("main: a bad config value stops at once with one line naming it; unknown keys warn", async () => {
  for (
    const [config, expected] of [
      [{ http_port: "eighty" }, /^ptgbot: config: bad value for "http_port": .+\n$/],
      [{ irc_server: "irc.example.org" }, /^ptgbot: config: "irc_nick" is needed to connect to IRC\n$/],
      [
        { irc_channel: "nochannel", irc_nick: "bot", irc_server: "x" },
        /^ptgbot: config: bad value for "irc_channel"/,
      ],
      [{ timezone: "Mars/Olympus" }, /^ptgbot: config: bad value for "timezone": not a time zone/],
      [
        { fetch_allow: ["10.0.0.0/33"] },
        /^ptgbot: config: bad value for "fetch_allow": must be a list of host/,
      ],
      [{ fetch_allow: "10.0.0.0/8" }, /^ptgbot: config: bad value for "fetch_allow": must be a list of host/],
    ] as const
  ) {
    const { dir, path } = await withConfig(config);
    const res = await runMain([path], dir);
    assert.equal(res.code, 2, JSON.stringify(config));
    assert.match(res.stderr, expected);
  }
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/c.json`, "{not json");
  const res = await runMain([`${dir}/c.json`], dir);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /^ptgbot: config: not valid JSON/);
  const missing = await runMain([`${dir}/none.json`], dir);
  assert.match(missing.stderr, /^ptgbot: cannot read config/);
});

Deno.test("main: the embedded default serves the sample event and runs console commands", async () => {
  const dir = await Deno.makeTempDir();
  // No config file at all: the README's start command.
  const before = localTime(new Date(), "UTC").date;
  const bot = await startBot([], dir, undefined, [], { TZ: "UTC" });
  try {
    assert.equal(bot.port, 8000);
    const first = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
    assert.equal(first.eventid, "TRN-ptg");
    // The demo's event starts today, whatever day that is (this test is about the wall clock).
    const firstDay = Object.values(first.slots)[0] as { realtime: string }[];
    const startDate = localTime(new Date(firstDay[0].realtime), "UTC").date;
    assert.ok([before, localTime(new Date(), "UTC").date].includes(startDate), `starts ${startDate}`);
    await bot.send("#nova now Console topic");
    await bot.waitFor(/^#nova now: Console topic$/);
    await bot.send("~motd add warning Hello");
    await bot.waitFor(/^Banner 2 added$/);
    const after = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
    assert.equal(after.now.nova, "Console topic");
    // Input ends; the program keeps serving.
    await bot.closeInput();
    await new Promise((r) => setTimeout(r, 200));
    const still = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    assert.equal(still.status, 200);
    await still.body?.cancel();
  } finally {
    assert.equal((await bot.stop()).code, 0);
  }
  await Deno.stat(`${dir}/ptgbot.kv`);
});

Deno.test("main: with a config file and no base, the store starts empty (no sample event)", async () => {
  const { dir, path } = await withConfig({ base: undefined });
  const bot = await startBot([path], dir);
  await using _bot = stopping(bot);
  const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
  assert.deepEqual([doc.eventid, doc.tracks, doc.slots, doc.motd, doc.links], ["", [], {}, [], {}]);
});

Deno.test("main: state survives a restart; db_filename gets the public ptg.json", async () => {
  const { dir, path } = await withConfig({ db_filename: "out/ptg.json", console: true });
  await Deno.mkdir(`${dir}/out`);
  let bot = await startBot([path], dir);
  await bot.send("#cinder next Backups");
  await bot.send("+subscribe cinder");
  await bot.waitFor(/^Subscribed to: cinder/);
  await new Promise((r) => setTimeout(r, 300));
  const file = JSON.parse(await Deno.readTextFile(`${dir}/out/ptg.json`));
  assert.deepEqual(file.next.cinder, ["Backups"]);
  assert.equal(file.subscriptions, undefined);
  assert.equal((await bot.stop()).code, 0);
  bot = await startBot([path], dir);
  const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
  assert.deepEqual(doc.next.cinder, ["Backups"]);
  await bot.stop();
});

Deno.test("main: --export then --import into a fresh store gives an identical ptg.json", async () => {
  const a = await withConfig({ console: true });
  const bot = await startBot([a.path], a.dir);
  for (
    const line of [
      "#nova now Quotas",
      "#nova next Cells",
      "+in #nova",
      "+subscribe nova",
      "+follow nova cinder",
      "~add octavia",
      "#qa book Overflow-MonA1",
    ]
  ) {
    await bot.send(line);
  }
  await bot.waitFor(/^#qa booked Overflow-MonA1$/);
  const served = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).text();
  await bot.stop();
  const exported = await runMain([a.path, "--export", `${a.dir}/backup.json`], a.dir);
  assert.equal(exported.code, 0, exported.stderr);
  const backup = JSON.parse(await Deno.readTextFile(`${a.dir}/backup.json`));
  assert.equal(backup.subscriptions.console, "nova");
  assert.deepEqual(backup.follows.console, ["cinder", "nova"]);
  assert.equal(JSON.parse(served).follows, undefined);

  const b = await withConfig({ console: true });
  const imported = await runMain([b.path, "--import", `${a.dir}/backup.json`], b.dir);
  assert.equal(imported.code, 0, imported.stderr);
  const again = await runMain([b.path, "--export", `${b.dir}/backup.json`], b.dir);
  assert.equal(again.code, 0);
  assert.equal(
    await Deno.readTextFile(`${b.dir}/backup.json`),
    await Deno.readTextFile(`${a.dir}/backup.json`),
  );
  const bot2 = await startBot([b.path], b.dir);
  const served2 = await (await fetch(`http://127.0.0.1:${bot2.port}/ptg.json`)).text();
  await bot2.stop();
  assert.equal(served2, served);

  await Deno.writeTextFile(`${b.dir}/bad.json`, JSON.stringify({ tracks: ["Bad Name"] }));
  const refused = await runMain([b.path, "--import", `${b.dir}/bad.json`], b.dir);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^ptgbot: --import .*bad\.json: tracks\.0: not a track name/);
});

Deno.test("main: SIGTERM drains and exits 0; a second signal exits at once", async () => {
  const { dir, path } = await withConfig({});
  let bot = await startBot([path], dir);
  const t0 = Date.now();
  assert.equal((await bot.stop()).code, 0);
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(bot.output.some((l) => /SIGTERM, stopping/.test(l)));

  bot = await startBot([path], dir);
  // Keep requests coming so the drain would go on for its full 3 s.
  let going = true;
  const traffic = (async () => {
    while (going) await fetch(`http://127.0.0.1:${bot.port}/healthz`).then((r) => r.body?.cancel(), () => {});
  })();
  bot.proc.kill("SIGTERM");
  await bot.waitFor(/SIGTERM, stopping/);
  const t1 = Date.now();
  bot.proc.kill("SIGTERM");
  const status = await bot.proc.status;
  going = false;
  await traffic;
  assert.equal(status.code, 1);
  assert.ok(Date.now() - t1 < 1500, `took ${Date.now() - t1} ms`);
  assert.ok(bot.output.some((l) => /again, leaving now/.test(l)));
});

Deno.test("main: the KV files and backups are owner-only; a config with a password others can read is warned about", async () => {
  const { dir, path } = await withConfig({
    irc_nick: "bot",
    irc_server: "127.0.0.1",
    irc_channel: "#e",
    irc_pass: "hunter2",
  });
  await Deno.chmod(path, 0o644);
  const mode = async (file: string) => ((await Deno.stat(file)).mode! & 0o777).toString(8);
  const res = await runMain([path, "--export", `${dir}/backup.json`], dir);
  assert.equal(res.code, 0, res.stderr);
  assert.match(
    res.stderr,
    /^ptgbot: config: the file holds irc_pass but other users may read it \(mode 644\); chmod 600 it$/m,
  );
  assert.ok(!res.stderr.includes("hunter2"));
  for (const file of ["s.kv", "backup.json"]) assert.equal(await mode(`${dir}/${file}`), "600", file);
  // An older store and an older backup with wider modes are narrowed when the program touches them.
  await Deno.chmod(`${dir}/s.kv`, 0o644);
  await Deno.chmod(`${dir}/backup.json`, 0o664);
  await Deno.chmod(path, 0o600);
  const again = await runMain([path, "--export", `${dir}/backup.json`], dir);
  assert.equal(again.stderr, "");
  for (const file of ["s.kv", "backup.json"]) assert.equal(await mode(`${dir}/${file}`), "600", file);
  // A running store's side files too.
  await Deno.writeTextFile(
    `${dir}/plain.json`,
    JSON.stringify({ http_host: "127.0.0.1", http_port: 0, kv_path: `${dir}/s.kv`, console: true }),
  );
  const bot = await startBot([`${dir}/plain.json`], dir);
  await using _bot = stopping(bot);
  await bot.send("+in the pub");
  await bot.waitFor(/checked in to the pub/);
  for (const file of ["s.kv", "s.kv-wal", "s.kv-shm"]) {
    assert.equal(await mode(`${dir}/${file}`), "600", file);
  }
});

Deno.test("main: ~fetchdb reaches a loopback server only when fetch_allow names it", async () => {
  let requests = 0;
  const fixture = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    requests++;
    return Response.json({ eventid: "LAN-ptg" });
  });
  const at = `http://127.0.0.1:${fixture.addr.port}/event.json`;
  try {
    for (
      const [allow, expected] of [
        [
          [],
          /^~fetchdb .* refused: 127\.0\.0\.1 is a loopback address; only public addresses are fetched; nothing changed$/,
        ],
        [["127.0.0.1"], /^Loaded eventid from /],
      ] as const
    ) {
      const { dir, path } = await withConfig({ console: true, fetch_allow: allow });
      const bot = await startBot([path], dir);
      await using _bot = stopping(bot);
      await bot.send(`~fetchdb ${at}`);
      await bot.waitFor(expected);
    }
    assert.equal(requests, 1, "only the allowed download reached the server");
    // An imported store is owner-only too.
    const { dir, path } = await withConfig({});
    await Deno.writeTextFile(`${dir}/event.json`, JSON.stringify({ eventid: "IMP-ptg" }));
    const imported = await runMain([path, "--import", `${dir}/event.json`], dir);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(((await Deno.stat(`${dir}/s.kv`)).mode! & 0o777).toString(8), "600");
  } finally {
    await fixture.shutdown();
  }
});
