/**
 * HTTPS figures (see docs/https.md): the resident memory of the program
 * started as `deno task start` starts it, without HTTPS and after getting a
 * certificate from pebble; then certificate switches under load (curl, h2
 * and HTTP/1.1 with a connection per request), counting failed requests.
 *
 *     deno run -A bench/https.ts [--switches=5]
 */
import { parseArgs } from "node:util";
import { LAUNCH_ENV, RUN_FLAGS } from "../lib/app/launch.ts";
import { type Bot, MAIN, startBot, withConfig } from "../tests/helpers/process.ts";
import { freePort, loadUntil, startPebble } from "../tests/helpers/pebble.ts";

const { values } = parseArgs({ args: Deno.args, options: { switches: { type: "string", default: "5" } } });
const switches = Number(values.switches);

async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const settle = () => new Promise((r) => setTimeout(r, 2000));

// Without HTTPS.
{
  const { dir, path } = await withConfig({});
  const bot = await startBot([path], dir, MAIN, RUN_FLAGS, LAUNCH_ENV);
  await settle();
  console.log(`resident, HTTP only: ${(await rssMiB(bot.proc.pid)).toFixed(1)} MiB`);
  await bot.stop();
  await Deno.remove(dir, { recursive: true });
}

const httpPort = freePort();
const httpsPort = freePort();
const pebbleDir = await Deno.makeTempDir({ prefix: "ptgbot-pebble-" });
const pebble = await startPebble(pebbleDir, httpPort, 9);
const { dir, path } = await withConfig({
  http_port: httpPort,
  https_port: httpsPort,
  https_domains: ["ptgbot.test"],
  acme_directory: pebble.directory,
});
let bot: Bot | undefined;
try {
  const ca = `${dir}/root.pem`;
  await Deno.writeTextFile(ca, await pebble.root());
  const t0 = performance.now();
  bot = await startBot([path], dir, MAIN, RUN_FLAGS, { ...LAUNCH_ENV, DENO_CERT: pebble.tlsCert });
  await bot.waitFor(/^https: certificate for/);
  console.log(`first certificate ${Math.round(performance.now() - t0)} ms after exec`);
  await settle();
  console.log(`resident, HTTPS after obtaining: ${(await rssMiB(bot.proc.pid)).toFixed(1)} MiB`);
  let total = 0;
  const failed: string[] = [];
  for (let i = 0; i < switches; i++) {
    const renewed = bot.waitFor(/^https: certificate for/, 30_000);
    const r = await loadUntil(httpsPort, ca, renewed.then(() => new Promise((r) => setTimeout(r, 1500))));
    total += r.ok;
    failed.push(...r.failed);
  }
  console.log(`${switches} switches under load: ${total} requests answered 200, ${failed.length} failed`);
  for (const f of failed.slice(0, 5)) console.log(`  ${f}`);
  console.log(`resident after the switches: ${(await rssMiB(bot.proc.pid)).toFixed(1)} MiB`);
  // The same with the usual load tools, where installed (they do not check the certificate).
  const url = `https://127.0.0.1:${httpsPort}/ptg.json`;
  for (
    const [tool, args] of [
      ["h2load", ["-D", "20", "-c", "20", "-m", "10", "-H", "accept-encoding: gzip", url]],
      ["wrk", ["-t", "2", "-c", "50", "-d", "20s", "-H", "accept-encoding: gzip", url]],
    ] as const
  ) {
    const before = bot.output.filter((l) => l.startsWith("https: certificate for")).length;
    let out;
    try {
      out = await new Deno.Command(tool, { args: [...args], stdout: "piped", stderr: "piped" }).output();
    } catch {
      console.log(`${tool}: not installed`);
      continue;
    }
    const n = bot.output.filter((l) => l.startsWith("https: certificate for")).length - before;
    const text = new TextDecoder().decode(out.stdout);
    const lines = text.split("\n").filter((l) =>
      /requests:|status codes:|Socket errors|Non-2xx|Requests\/sec|req\/s|traffic:/.test(l)
    );
    console.log(`${tool}, ${n} switches during the run:\n  ${lines.map((l) => l.trim()).join("\n  ")}`);
  }
} finally {
  await bot?.stop();
  await pebble.stop();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(pebbleDir, { recursive: true });
}
