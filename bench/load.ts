/**
 * Load benchmarks on real processes: wrk against ptg.json (next to nginx
 * serving the same bytes), live streams, IRC latency and bursts, restarts
 * under load, memory and cold start. Writes bench/results.md.
 *
 *   deno run -A bench/load.ts [--quick]
 *
 * Needs wrk, ngircd and nginx (apt-get install wrk ngircd nginx). Traffic
 * goes to 127.0.0.1 only, every loop is bounded in count and time.
 */
import { largeDocument } from "./large_event.ts";
import { freePort, startIrcServer, TestClient } from "../tests/helpers/irc.ts";
import { lines } from "../lib/app/console.ts";
import { LAUNCH_ENV, RUN_FLAGS } from "../lib/app/launch.ts";

const QUICK = Deno.args.includes("--quick");
const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
/** True when this section should run (all of them unless --only=a,b names some). */
const want = (section: string) => !ONLY || ONLY.includes(section);
const ROOT = new URL("..", import.meta.url).pathname;
const MAIN = `${ROOT}main.ts`;
const results: string[] = [];
const note = (line: string) => {
  console.log(line);
  results.push(line);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function has(cmd: string): Promise<boolean> {
  try {
    return (await new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`] }).output()).success;
  } catch {
    return false;
  }
}

interface Proc {
  child: Deno.ChildProcess;
  port: number;
  send(line: string): Promise<void>;
  stop(): Promise<void>;
}

/** ptgbot with a config file in `dir`, started the way `deno task start` starts it. */
function ptgbotCommand(dir: string, configFile: string, stdio: "piped" | "null"): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    // Started as `deno task start`, the restart script and the systemd unit start it.
    args: ["run", "-A", ...RUN_FLAGS, MAIN, configFile],
    cwd: dir,
    env: LAUNCH_ENV,
    stdin: stdio,
    stdout: stdio,
    stderr: stdio === "piped" ? "inherit" : "null",
  });
}

/** A config on any free web port with IRC on the local server at `ircPort`, channel #ptg. */
function ircConfig(ircPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    http_port: 0,
    kv_path: "ptgbot.kv",
    irc_nick: "ptgbot",
    irc_server: "127.0.0.1",
    irc_port: ircPort,
    irc_tls: false,
    irc_channel: "#ptg",
    ...extra,
  };
}

/** Starts ptgbot with `config` in `dir`, waits for its serving line. */
async function ptgbot(dir: string, config: Record<string, unknown>): Promise<Proc> {
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config));
  const child = ptgbotCommand(dir, "config.json", "piped").spawn();
  const out = lines(child.stdout);
  let port = 0;
  for await (const l of out) {
    const m = /serving http:\/\/[^:]+:(\d+)\//.exec(l);
    if (m) {
      port = Number(m[1]);
      break;
    }
  }
  void (async () => {
    for await (const _ of out) { /* drain */ }
  })();
  const writer = child.stdin.getWriter();
  return {
    child,
    port,
    send: (line) => writer.write(new TextEncoder().encode(line + "\n")),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await writer.close().catch(() => {});
      await child.status;
    },
  };
}

async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface Wrk {
  rps: number;
  p99: string;
  errors: string;
  non2xx: number;
}

async function wrk(url: string, headers: string[], seconds: number): Promise<Wrk> {
  const args = ["-t2", "-c50", `-d${seconds}s`, "--latency", ...headers.flatMap((h) => ["-H", h]), url];
  const out = new TextDecoder().decode((await new Deno.Command("wrk", { args }).output()).stdout);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p99: /\s99%\s+(\S+)/.exec(out)?.[1] ?? "?",
    errors: /Socket errors: (.*)/.exec(out)?.[1] ?? "none",
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function nginx(
  root: string,
): Promise<{ port: number; stop(): Promise<void>; reload(): Promise<void> }> {
  const port = freePort();
  const conf = `${root}/nginx.conf`;
  await Deno.writeTextFile(
    conf,
    `daemon off; user root; worker_processes 2; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 4096; }
http { access_log off; default_type application/json; sendfile on; keepalive_requests 100000;
  gzip_static on; etag on;
  server { listen 127.0.0.1:${port} reuseport; root ${root}/www; } }`,
  );
  const child = new Deno.Command("nginx", { args: ["-c", conf, "-p", root], stderr: "null" }).spawn();
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/ptg.json`).then(
        (r) => r.body?.cancel().then(() => true),
        () => false,
      )
    ) break;
    await sleep(50);
  }
  return {
    port,
    async reload() {
      await new Deno.Command("nginx", { args: ["-c", conf, "-p", root, "-s", "reload"], stderr: "null" })
        .output();
    },
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** Opens n raw /events streams; resolves with a function that waits until all saw `version`. */
async function openStreams(port: number, n: number) {
  // Each reader notes the moment its stream carries the awaited version, with
  // plain reads into one buffer: the client must cost far less than the
  // server it measures (they share the same two cores).
  let needle = new Uint8Array([0]);
  let round = 0;
  let count = 0;
  let last = 0;
  const conns: Deno.TcpConn[] = [];
  const req = new TextEncoder().encode(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  const contains = (buf: Uint8Array, len: number) => {
    outer: for (let i = 0; i + needle.length <= len; i++) {
      for (let j = 0; j < needle.length; j++) if (buf[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  };
  for (let i = 0; i < n; i++) {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(c);
    await c.write(req);
    void (async () => {
      const buf = new Uint8Array(1024);
      let seen = -1;
      for (;;) {
        const k = await c.read(buf).catch(() => null);
        if (k === null) break;
        if (seen !== round && contains(buf, k)) {
          seen = round;
          count++;
          last = performance.now();
        }
      }
    })();
  }
  return {
    /** Starts waiting for `version` now; the returned function resolves when all streams saw it. */
    expect(version: number) {
      count = 0;
      round++;
      needle = new TextEncoder().encode(`data: ${version}\n`);
      const t0 = performance.now();
      return async (timeoutMs: number): Promise<{ all: boolean; ms: number; count: number }> => {
        while (performance.now() - t0 < timeoutMs && count < n) await sleep(20);
        return { all: count === n, ms: (count === n ? last : performance.now()) - t0, count };
      };
    },
    close() {
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

/** What a visitor's browser fetches before it listens: the page and ptg.json (compressed both ways). */
async function visit(port: number): Promise<void> {
  for (
    const [path, coding] of [["/", "gzip"], ["/ptg.json", "br"], ["/ptg.json", "gzip"], ["/ptg.json", ""]]
  ) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { "accept-encoding": coding } });
    await res.arrayBuffer();
  }
}

async function version(port: number): Promise<number> {
  return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).version;
}

// ---------------------------------------------------------------------------

const dir = await Deno.makeTempDir({ prefix: "ptgbot-load-" });
await Deno.writeTextFile(`${dir}/large.json`, JSON.stringify(largeDocument()));
const imp = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", MAIN, "--import", "large.json"],
  cwd: dir,
}).output();
if (!imp.success) throw new Error(new TextDecoder().decode(imp.stderr));

note(
  `# ptgbot load benchmarks\n\nRun ${
    new Date().toISOString()
  } on ${Deno.build.target}, ${navigator.hardwareConcurrency} cores${QUICK ? " (quick run)" : ""}.\n`,
);

// Cold start: exec to the first 200 on /healthz.
if (want("cold")) {
  // After a clean stop the state comes from the start-up snapshot; after a
  // crash (SIGKILL, no snapshot) every entity is read.
  const coldStart = async (stopWith: Deno.Signal) => {
    const port = freePort();
    await Deno.writeTextFile(`${dir}/cold.json`, JSON.stringify({ http_port: port, kv_path: "ptgbot.kv" }));
    const t0 = performance.now();
    const child = ptgbotCommand(dir, "cold.json", "null").spawn();
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.body?.cancel().then(() => r.ok),
        () => false,
      );
      if (ok) break;
      await sleep(2);
    }
    const took = performance.now() - t0;
    child.kill(stopWith);
    await child.status;
    return took;
  };
  const clean: number[] = [];
  const crashed: number[] = [];
  for (let i = 0; i < 5; i++) clean.push(await coldStart("SIGTERM"));
  await coldStart("SIGKILL");
  for (let i = 0; i < 5; i++) crashed.push(await coldStart("SIGKILL"));
  await coldStart("SIGTERM"); // leave a snapshot for what follows
  note(
    `## Cold start\n\nexec to the first 200 on /healthz, large event in KV, median of 5: **${
      median(clean).toFixed(0)
    } ms** after a clean stop, ${median(crashed).toFixed(0)} ms after a crash (target < 300 ms)\n`,
  );
}

const bot = await ptgbot(dir, { http_port: 0, kv_path: "ptgbot.kv", console: true });
const base = `http://127.0.0.1:${bot.port}`;
note(`## Memory\n\nresident, idle with the large event: **${(await rssMiB(bot.child.pid)).toFixed(0)} MiB**`);

// Live streams: memory with 1,000, then how fast an update reaches many.
if (want("streams")) {
  // The pages were loaded first, as by visitors: ptg.json built and compressed.
  await visit(bot.port);
  const thousand = await openStreams(bot.port, 1000);
  await sleep(1000);
  note(
    `\n## Live updates\n\nresident with the large event, ptg.json served in each coding and 1,000 open streams: **${
      (await rssMiB(bot.child.pid)).toFixed(0)
    } MiB** (target < 120 MiB)`,
  );
  thousand.close();
  await sleep(500);
  const n = Number(Deno.env.get("PTGBOT_STREAMS") ?? (QUICK ? 2000 : 10_000));
  const streams = await openStreams(bot.port, n);
  await sleep(500);
  const before = await version(bot.port);
  const waiting = streams.expect(before + 1);
  await bot.send("#track-001 now Streams benchmark");
  const res = await waiting(10_000);
  note(
    `${n} open /events streams: ${res.count} received the new version, the last **${
      res.ms.toFixed(0)
    } ms** after the command (target: 10,000 streams, each within 1 s); resident then ${
      (await rssMiB(bot.child.pid)).toFixed(0)
    } MiB\n`,
  );
  streams.close();
}
// The same with IRC configured and joined (irc-framework and the node modules it needs load then).
if (want("streams") && await has("ngircd")) {
  const irc = await startIrcServer();
  const withIrc = await Deno.makeTempDir({ prefix: "ptgbot-load-irc-mem-" });
  await Deno.copyFile(`${dir}/ptgbot.kv`, `${withIrc}/ptgbot.kv`);
  const watcher = await TestClient.connect(irc.port, "watcher", "#ptg");
  const ib = await ptgbot(withIrc, ircConfig(irc.port));
  for (let i = 0; i < 100 && !watcher.raw.some((l) => /^:ptgbot!\S+ JOIN/.test(l)); i++) await sleep(100);
  await sleep(1000);
  const idle = await rssMiB(ib.child.pid);
  await visit(ib.port);
  const open = await openStreams(ib.port, 1000);
  await sleep(1000);
  note(
    `with IRC configured and joined: resident ${idle.toFixed(0)} MiB idle, **${
      (await rssMiB(ib.child.pid)).toFixed(0)
    } MiB** with 1,000 open streams\n`,
  );
  open.close();
  watcher.close();
  await ib.stop();
  await irc.stop();
}

// wrk against ptg.json, and nginx on the same bytes. This machine's speed
// drifts by up to 2x within minutes, so the two servers take turns in short
// rounds and each round gives a ratio: the median ratio is the figure.
const seconds = QUICK ? 2 : 4;
const rounds = QUICK ? 2 : 5;
if (want("http") && await has("wrk")) {
  const plain = new Uint8Array(
    await (await fetch(`${base}/ptg.json`, { headers: { "accept-encoding": "identity" } })).arrayBuffer(),
  );
  const gzRes = await fetch(`${base}/ptg.json`, { headers: { "accept-encoding": "gzip" } });
  const etag = gzRes.headers.get("etag")!;
  await gzRes.body?.cancel();
  let ng: Awaited<ReturnType<typeof nginx>> | undefined;
  let ngUrl = "", ngEtag = "";
  if (await has("nginx")) {
    const root = `${dir}/nginx`;
    await Deno.mkdir(`${root}/www`, { recursive: true });
    await Deno.writeFile(`${root}/www/ptg.json`, plain);
    const gz = await new Deno.Command("gzip", { args: ["-k", "-6", `${root}/www/ptg.json`] }).output();
    if (!gz.success) throw new Error("gzip failed");
    ng = await nginx(root);
    ngUrl = `http://127.0.0.1:${ng.port}/ptg.json`;
    ngEtag = (await fetch(ngUrl, { headers: { "accept-encoding": "gzip" } }).then(async (r) => {
      await r.body?.cancel();
      return r.headers.get("etag");
    }))!;
  } else {
    note("\n(nginx not installed: no side-by-side figures)\n");
  }
  note(
    `\n## GET /ptg.json with wrk (2 threads, 50 keep-alive connections; ${plain.length} bytes)\n\n` +
      `${rounds} rounds of ${seconds} s, ptgbot and nginx in turn; medians, with the range over rounds.\n`,
  );
  note("| kind | ptgbot rps | nginx rps | ptgbot / nginx | ptgbot p99 | nginx p99 | errors |");
  note("| --- | --- | --- | --- | --- | --- | --- |");
  const kinds: [string, string[], string[], string][] = [
    ["gzip", ["Accept-Encoding: gzip"], ["Accept-Encoding: gzip"], "≥ 70%"],
    ["none", [], [], ""],
    ["304 (If-None-Match)", ["Accept-Encoding: gzip", `If-None-Match: ${etag}`], [
      "Accept-Encoding: gzip",
      `If-None-Match: ${ngEtag}`,
    ], "≥ 100%"],
  ];
  const range = (xs: number[], f: (x: number) => string) =>
    `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const int = (x: number) => x.toFixed(0);
  for (const [kind, ourHeaders, theirHeaders, target] of kinds) {
    const ours: Wrk[] = [], theirs: Wrk[] = [], ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await wrk(`${base}/ptg.json`, ourHeaders, seconds));
      if (ng) {
        theirs.push(await wrk(ngUrl, theirHeaders, seconds));
        ratios.push(ours[r].rps / theirs[r].rps);
      }
    }
    const errors = [...ours, ...theirs].filter((w) =>
      w.errors !== "none" || w.non2xx && !kind.startsWith("304")
    );
    note(
      `| ${kind} | ${range(ours.map((w) => w.rps), int)} | ${
        ng ? range(theirs.map((w) => w.rps), int) : "–"
      } | ${ng ? `**${range(ratios, pct)}**${target ? ` (target ${target})` : ""}` : "–"} | ${
        ours.map((w) => w.p99).join(", ")
      } | ${theirs.map((w) => w.p99).join(", ")} | ${
        errors.length ? errors.map((w) => `${w.errors}, ${w.non2xx} non-2xx`).join("; ") : "none"
      } |`,
    );
  }
  note("");
  if (ng) {
    // nginx's own reload under a probe: the anchor for restarts.
    let failed = 0, total = 0;
    const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    const stopAt = performance.now() + (QUICK ? 2000 : 5000);
    const probe = (async () => {
      while (performance.now() < stopAt) {
        total++;
        try {
          const r = await fetch(ngUrl, { client: fresh });
          if (r.status !== 200 || (await r.arrayBuffer()).byteLength !== plain.length) failed++;
        } catch {
          failed++;
        }
        await sleep(10);
      }
    })();
    for (let i = 0; i < 10; i++) {
      await ng.reload();
      await sleep(QUICK ? 150 : 400);
    }
    await probe;
    fresh.close();
    note(
      `nginx reloaded 10 times under a probe (fresh connection every 10 ms): ${failed} of ${total} probes failed\n`,
    );
    await ng.stop();
  }
} else {
  note("\n(wrk not installed: no HTTP load figures)\n");
}

await bot.stop();

// IRC: latency from a line leaving a client to the change in ptg.json, and a burst.
if (want("irc") && await has("ngircd")) {
  const irc = await startIrcServer();
  const ircDir = await Deno.makeTempDir({ prefix: "ptgbot-load-irc-" });
  const ib = await ptgbot(ircDir, ircConfig(irc.port, { user_burst: 100 }));
  const users = await Promise.all(
    Array.from({ length: 8 }, (_, i) => TestClient.connect(irc.port, `user${i}`, "#ptg")),
  );
  // Sees every line the server relays to the channel, and when.
  const observer = await TestClient.connect(irc.port, "observer", "#ptg");
  const relayed: number[] = [];
  const seenBefore = () => observer.messages.length;
  for (let i = 0; i < 100; i++) {
    if (users[0].raw.some((l) => /^:ptgbot!\S+ JOIN/.test(l))) break;
    await sleep(100);
  }
  const url = `http://127.0.0.1:${ib.port}/ptg.json`;
  const waitFor = async (
    check: (doc: Record<string, Record<string, unknown>>) => boolean,
    timeoutMs: number,
  ) => {
    const t0 = performance.now();
    let etag = "";
    while (performance.now() - t0 < timeoutMs) {
      const r = await fetch(url, { headers: etag ? { "if-none-match": etag } : {} });
      if (r.status === 200) {
        etag = r.headers.get("etag") ?? "";
        if (check(await r.json())) return performance.now();
      } else await r.body?.cancel();
    }
    return NaN;
  };
  const lat: number[] = [];
  const rounds = QUICK ? 5 : 15;
  for (let i = 0; i < rounds; i++) {
    const topic = `Latency probe ${i} ${Date.now()}`;
    const t0 = performance.now();
    await users[0].say("#ptg", `#nova now ${topic}`);
    const t1 = await waitFor((d) => d.now?.nova === topic, 5000);
    lat.push(t1 - t0);
    await sleep(2000);
  }
  note(
    `## IRC\n\n\`#nova now\` from a client to the change in ptg.json, lines ${2} s apart, median of ${rounds}: **${
      median(lat).toFixed(1)
    } ms** (max ${Math.max(...lat).toFixed(1)} ms; target < 50 ms)`,
  );
  await sleep(3000);
  const t0 = performance.now();
  const startIndex = seenBefore();
  const perUser = 25;
  const watch = (async () => {
    while (relayed.length < users.length * perUser && performance.now() - t0 < 60_000) {
      const fresh = observer.messages.slice(startIndex + relayed.length).filter((m) =>
        m.from.startsWith("user")
      );
      for (const _ of fresh) relayed.push(performance.now());
      await sleep(1);
    }
  })();
  await Promise.all(users.map(async (u, i) => {
    for (let j = 0; j < perUser; j++) {
      await u.say("#ptg", j % 2 ? `+in room-${j}` : `#track-${String(i).padStart(3, "0")} next burst ${j}`);
    }
  }));
  const last = await waitFor((d) => {
    const checks = d.last_check_in as Record<string, { location: string }>;
    return users.every((u) => checks[u.nick]?.location === `room-${perUser % 2 ? perUser - 2 : perUser - 1}`);
  }, 60_000);
  await watch;
  const lastRelay = relayed.at(-1) ?? NaN;
  const total = users.length * perUser;
  note(
    `burst of ${total} commands from ${users.length} users: the last one in ptg.json after ` +
      `**${((last - t0) / 1000).toFixed(2)} s**; the IRC server itself relayed the last of those lines ` +
      `after ${((lastRelay - t0) / 1000).toFixed(2)} s (it accepts about 3 lines a second from one ` +
      `client), so the bot added ${(last - lastRelay).toFixed(0)} ms (target < 5 s overall)\n`,
  );
  observer.close();
  for (const u of users) u.close();
  await ib.stop();
  await irc.stop();
}

// Restart under load: wrk running while the hand-over happens ten times, plus a probe.
/** Ten hand-overs with `deno task restart` while wrk runs, plus a probe on fresh connections. */
async function restartUnderLoad(): Promise<void> {
  const rdir = await Deno.makeTempDir({ prefix: "ptgbot-restart-" });
  await Deno.copyFile(`${dir}/ptgbot.kv`, `${rdir}/ptgbot.kv`).catch(() => {});
  const port = freePort();
  await Deno.writeTextFile(`${rdir}/config.json`, JSON.stringify({ http_port: port, kv_path: "ptgbot.kv" }));
  const restart = () =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}contrib/restart.ts`,
        "--url",
        `http://127.0.0.1:${port}`,
        "--",
        Deno.execPath(),
        "run",
        "-A",
        ...RUN_FLAGS,
        MAIN,
        "config.json",
      ],
      cwd: rdir,
      stdout: "null",
    }).output();
  await restart();
  const url = `http://127.0.0.1:${port}/ptg.json`;
  const expected = (await (await fetch(url)).arrayBuffer()).byteLength;
  const duration = QUICK ? 8 : 25;
  const load = new Deno.Command("wrk", { args: ["-t2", "-c50", `-d${duration}s`, url], stdout: "piped" })
    .output();
  let failed = 0, total = 0, truncated = 0;
  const errors: string[] = [];
  const fresh = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  let probing = true;
  const probe = (async () => {
    while (probing) {
      total++;
      try {
        const r = await fetch(url, { client: fresh });
        const n = (await r.arrayBuffer()).byteLength;
        if (r.status !== 200) failed++;
        else if (n !== expected) truncated++;
      } catch (e) {
        failed++;
        if (errors.length < 3) errors.push(String(e));
      }
      await sleep(10);
    }
  })();
  for (let i = 0; i < 10; i++) await restart();
  probing = false;
  await probe;
  fresh.close();
  const out = new TextDecoder().decode((await load).stdout);
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1] ?? "none";
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? "0";
  const migrate = (await Deno.readTextFile("/proc/sys/net/ipv4/tcp_migrate_req").catch(() => "?")).trim();
  note(
    `net.ipv4.tcp_migrate_req=${migrate}: 10 hand-overs with \`deno task restart\` while wrk ran (50 connections): wrk socket errors ${socketErrors}, non-2xx ${non2xx}; probe (fresh connection every 10 ms): **${failed} failed, ${truncated} truncated of ${total}** (target 0)${
      errors.length ? `; first errors: ${errors.join("; ")}` : ""
    }\n`,
  );
  // Stop whichever process serves now.
  try {
    const pid = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).pid;
    Deno.kill(pid, "SIGTERM");
  } catch { /* gone */ }
}

if (want("restart") && await has("wrk")) {
  note("## Restart under load\n");
  await restartUnderLoad();
}

if (!ONLY) await Deno.writeTextFile(`${ROOT}bench/results.md`, results.join("\n") + "\n");
console.log(ONLY ? "(partial run: bench/results.md left as it was)" : "wrote bench/results.md");
