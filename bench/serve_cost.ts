/**
 * What serving `GET /ptg.json` costs next to the runtime's floor: the web
 * app (`createWebApp` + `serveWeb`) against a bare `Deno.serve` that returns
 * the same bytes, each pinned to one core (`taskset -c 1`), loaded by `wrk`
 * from another core (`taskset -c 0`), uncompressed, in turns. Also the main
 * page's HTML on the same path.
 *
 *   deno run -A bench/serve_cost.ts [seconds=5] [rounds=3]
 *   deno run -A bench/serve_cost.ts --parts [seconds=3] [rounds=5]   # where the gap lies
 *
 * Needs `taskset` (util-linux) and `wrk`. Prints requests per second of each
 * and the app's share of the bare server's rate.
 */
import { largeDocument } from "./large_event.ts";
import { validateDocument } from "../lib/state/document.ts";
import { completeState, mergeDocument, stateToJson } from "../lib/state/json.ts";
import { emptyState, type State } from "../lib/state/model.ts";
import { createWebApp, serveWeb } from "../lib/web/server.ts";
import { snapshots } from "../lib/web/snapshot.ts";
import { Representation } from "../lib/web/representation.ts";

/** About 260 KB of ptg.json: the large event with fewer people. */
function eventState(): State {
  const doc = validateDocument(largeDocument({ people: 1350 }));
  if (!doc.ok) throw new Error(doc.error);
  return completeState(mergeDocument(emptyState(), doc.doc));
}

const EXTRA = { etherpad_base: "https://etherpad.opendev.org/p/", timezone: "UTC" };

/** CPU seconds (user + system) the process has used so far. */
async function cpu(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Requests per second and the server's CPU microseconds per request. */
async function measure(kind: string, path: string, seconds: number): Promise<[number, number]> {
  const child = new Deno.Command("taskset", {
    args: ["-c", "1", Deno.execPath(), "run", "-A", new URL(import.meta.url).pathname, "serve", kind],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server ended");
    text += value;
  }
  const port = Number(text.trim());
  const url = `http://127.0.0.1:${port}${path}`;
  // Warm up (first build of the representation, JIT), then measure.
  await new Deno.Command("taskset", { args: ["-c", "0", "wrk", "-t1", "-c8", "-d1s", url], stdout: "null" })
    .output();
  const before = await cpu(child.pid);
  const out = await new Deno.Command("taskset", {
    args: ["-c", "0", "wrk", "-t1", "-c8", `-d${seconds}s`, url],
    stdout: "piped",
  }).output();
  const used = (await cpu(child.pid)) - before;
  child.kill();
  await child.status;
  const report = new TextDecoder().decode(out.stdout);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(report);
  const total = /(\d+) requests in/.exec(report);
  if (!rate || !total) throw new Error(report);
  return [Number(rate[1]), (used * 1e6) / Number(total[1])];
}

if (Deno.args[0] === "serve") {
  const state = eventState();
  if (Deno.args[1]?.startsWith("bare")) {
    const bytes = new TextEncoder().encode(stateToJson(state, false, EXTRA));
    const headers = { "content-type": "application/json; charset=utf-8" };
    // "bare": a new Response per request (the runtime copies the bytes into it);
    // "bare-clone": one Response cloned per request (the clone shares them);
    // "bare-clone9": with ptgbot's nine response headers;
    // "bare-clone9-read": and reading what ptgbot must read (method, URL, two request headers).
    const template = new Response(bytes, { headers });
    const nine = new Response(bytes, {
      headers: new Representation("application/json; charset=utf-8", bytes, "public, max-age=2").headers(
        "identity",
        false,
      ),
    });
    const handlers: Record<string, (req: Request) => Response> = {
      "bare": () => new Response(bytes, { headers }),
      "bare-clone": () => template.clone(),
      "bare-clone9": () => nine.clone(),
      "bare-clone9-read": (req) => {
        if (req.method !== "GET" || !req.url) throw new Error("unexpected request");
        req.headers.get("accept-encoding");
        req.headers.get("if-none-match");
        return nine.clone();
      },
    };
    const handler = handlers[Deno.args[1]];
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
    console.log(server.addr.port);
  } else {
    const app = createWebApp(
      snapshots({ state, version: 1 }, { etherpadBase: EXTRA.etherpad_base, timeZone: EXTRA.timezone }),
      { now: () => Date.parse("2027-04-12T10:00:00Z") },
    );
    console.log(serveWeb(app, "127.0.0.1", 0).addr.port);
  }
} else if (Deno.args[0] === "--parts") {
  // Where the gap to the floor lies: each part added in turn, minimum CPU per request over the rounds.
  const seconds = Number(Deno.args[1] ?? 3);
  const rounds = Number(Deno.args[2] ?? 5);
  const kinds = ["bare-clone", "bare-clone9", "bare-clone9-read", "app"];
  const cost = new Map<string, number[]>(kinds.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of kinds) cost.get(k)!.push((await measure(k, "/ptg.json", seconds))[1]);
  }
  for (const [k, runs] of cost) {
    console.log(`${k}: ${runs.map((c) => c.toFixed(1)).join(", ")} µs, min ${Math.min(...runs).toFixed(1)}`);
  }
} else {
  const seconds = Number(Deno.args[0] ?? 5);
  const rounds = Number(Deno.args[1] ?? 3);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows: string[] = [];
  // The least disturbed run is the closest to the program's own cost: the minimum CPU is reported too.
  const show = (label: string, runs: [number, number][]) => {
    const rate = median(runs.map((r) => r[0]));
    const cost = median(runs.map((r) => r[1]));
    const least = Math.min(...runs.map((r) => r[1]));
    rows.push(
      `${label}: ${runs.map((r) => Math.round(r[0])).join(", ")} req/s (median ${Math.round(rate)}); ` +
        `CPU per request ${runs.map((r) => r[1].toFixed(1)).join(", ")} µs (median ${cost.toFixed(1)}, ` +
        `min ${least.toFixed(1)})`,
    );
    return [rate, cost, least];
  };
  const bare: [number, number][] = [];
  const clone: [number, number][] = [];
  const json: [number, number][] = [];
  const html: [number, number][] = [];
  // In turns, so that load from elsewhere falls on both alike.
  for (let r = 0; r < rounds; r++) {
    bare.push(await measure("bare", "/ptg.json", seconds));
    clone.push(await measure("bare-clone", "/ptg.json", seconds));
    json.push(await measure("app", "/ptg.json", seconds));
    html.push(await measure("app", "/ptg.html", seconds));
  }
  show("bare Deno.serve /ptg.json, new Response per request", bare);
  const [bareRate, bareCost, bareLeast] = show("bare Deno.serve /ptg.json, one Response cloned", clone);
  const [jsonRate, jsonCost, jsonLeast] = show("ptgbot /ptg.json", json);
  show("ptgbot /ptg.html", html);
  rows.push(
    `ptgbot /ptg.json against the faster bare: rate ${(jsonRate / bareRate).toFixed(3)}, ` +
      `CPU per request ${(jsonCost / bareCost).toFixed(3)} (medians), ${
        (jsonLeast / bareLeast).toFixed(3)
      } (minima)`,
  );
  console.log(rows.join("\n"));
}
