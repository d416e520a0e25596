/**
 * Chromium for the browser tests: launching it, the program on the sample
 * event with its clock injected, a page opened at a moment in UTC, and a
 * watch on dialogs and script errors.
 *
 * @module
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { parseConfig } from "../../lib/app/config.ts";
import { type Program, startProgram } from "../../lib/app/program.ts";
import { NOW, OP, SAMPLE_FILE } from "./fixtures.ts";

export const OUT = new URL("../../test-output/", import.meta.url).pathname;

export async function launch(): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium",
    headless: true,
    userDataDir: await Deno.makeTempDir({ prefix: "ptgbot-chromium-" }),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
}

/** The program on the sample event, its clock at `now`. */
export async function start(now = NOW, base = SAMPLE_FILE): Promise<Program> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-web-" });
  return await startProgram(
    parseConfig(JSON.stringify({
      kv_path: `${dir}/s.kv`,
      base,
      http_host: "127.0.0.1",
      http_port: 0,
      timezone: "UTC",
    })),
    { now: () => now },
  );
}

/**
 * Runs in the page before its scripts: the page's clock starts at `start`
 * and ticks from there, whatever the host's clock says.
 */
export function fakeClock(start: number): void {
  const Real = Date;
  const base = start - Real.now();
  // Tests move the page's clock on by setting `clockShift` (ms).
  const g = globalThis as unknown as { clockShift?: number };
  g.clockShift = 0;
  const offset = () => base + (g.clockShift ?? 0);
  class Shifted extends Real {
    // deno-lint-ignore no-explicit-any
    constructor(...args: any[]) {
      // @ts-ignore: the spread matches one of Date's constructors
      super(...(args.length ? args : [Real.now() + offset()]));
    }
    static override now(): number {
      return Real.now() + offset();
    }
  }
  (globalThis as unknown as { Date: DateConstructor }).Date = Shifted as DateConstructor;
}

export interface Watch {
  dialogs: string[];
  errors: string[];
}

export function watch(page: Page): Watch {
  const w: Watch = { dialogs: [], errors: [] };
  page.on("dialog", async (d) => {
    w.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (e) => w.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/favicon/.test(m.text())) w.errors.push(m.text());
  });
  return w;
}

export async function open(
  browser: Browser,
  program: Program,
  path: string,
  now = NOW,
): Promise<{ page: Page; w: Watch }> {
  const page = await browser.newPage();
  await page.emulateTimezone("UTC");
  await page.evaluateOnNewDocument(fakeClock, now.getTime());
  const w = watch(page);
  await page.goto(`http://127.0.0.1:${program.addr.port}${path}`);
  await page.waitForSelector("body[data-loaded=yes]", { timeout: 10_000 });
  return { page, w };
}

export const run = async (program: Program, line: string) => {
  const replies = await program.runner.run(OP, line);
  return replies?.map((r) => r.text);
};
