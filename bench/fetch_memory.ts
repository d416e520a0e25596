/**
 * Peak resident memory of a `~fetchdb` download from hostile servers on
 * loopback: `deno run -A bench/fetch_memory.ts`. Each download runs in a
 * child process started with the launch settings
 * (`tests/helpers/download_memory.ts`), which reports how far the download
 * raised its peak. The servers (`tests/helpers/hostile_http.ts`) run in
 * this process, so their memory is not counted.
 *
 * @module
 */
import { LIMITS } from "../lib/state/limits.ts";
import { measure } from "../tests/helpers/download_memory.ts";
import { ANSWERS, serveHostile } from "../tests/helpers/hostile_http.ts";

const server = serveHostile();
const mib = (kib: number) => (kib / 1024).toFixed(1);
console.log(`limit ${mib(LIMITS.documentBytes / 1024)} MiB\n`);
console.log("| answer | resident before (MiB) | peak rise (MiB) | outcome |\n| --- | --- | --- | --- |");
for (const path of Object.keys(ANSWERS)) {
  const m = await measure(`${server.url}${path}`);
  console.log(
    `| ${path} | ${mib(m.baseKiB)} | ${mib(m.peakKiB - m.baseKiB)} | ${m.result.slice(0, 60)} |`,
  );
}
server.close();
