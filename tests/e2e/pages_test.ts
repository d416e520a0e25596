/**
 * The pages as an attendee meets them, in Chromium at a desktop's, a
 * phone's and a signage screen's size: where and when beside each topic,
 * colours that never collide, server-rendered HTML that the script then
 * patches in place (focus kept), the day tabs as a tab widget, dark mode,
 * signage that fits, and axe-core finding nothing in light or dark mode.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { launch, open, OUT, run, start } from "../helpers/browser.ts";
import { largeDocument } from "../../bench/large_event.ts";
import { E2E, stopping } from "../helpers/e2e.ts";

// These run inside the browser (page.evaluate); the test itself is checked without the DOM library.
// deno-lint-ignore no-explicit-any
declare const document: any;
// deno-lint-ignore no-explicit-any
declare const window: any;
// deno-lint-ignore no-explicit-any
declare function getComputedStyle(e: unknown): any;
// deno-lint-ignore no-explicit-any
declare const axe: any;

const AXE = await Deno.readTextFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

const SIZES = { desktop: [1366, 900], phone: [390, 844], wide: [1920, 1080] } as const;
const PAGES = ["/ptg.html", "/etherpads.html", "/index.html", "/signage.html", "/history.html"];

/** axe-core's violations on the page as it is now (rule id and first target). */
async function violations(page: Page): Promise<string[]> {
  // Evaluated through the debugger protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v: { id: string; nodes: { target: string[] }[] }) =>
    `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`
  );
}

async function overflow(page: Page): Promise<number> {
  return await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
}

async function setup(program: Awaited<ReturnType<typeof start>>) {
  await run(program, "#nova now Live migration with #cinder, see https://wiki.example.org/nova");
  await run(program, "#cinder now Backups and restores");
  await run(program, "#swift now Erasure codes"); // swift has no room on Monday
  await run(program, "#neutron now OVN");
  await run(program, "#neutron location Hallway by the coffee");
  await run(program, "#nova next Quotas");
  await run(program, "+in #nova");
}

Deno.test({
  name: "pages: where and when, colours, in-place updates, tabs, phone, dark mode, axe at every size",
  ...E2E,
  fn: async (t) => {
    await Deno.mkdir(OUT, { recursive: true });
    const program = await start();
    const browser = await launch();
    try {
      await setup(program);

      await t.step("the HTML arrives with the state in it, readable without JavaScript", async () => {
        const page = await browser.newPage();
        await page.setJavaScriptEnabled(false);
        await page.goto(`http://127.0.0.1:${program.addr.port}/ptg.html`);
        const text = await page.$eval("#now", (e) => e.textContent!);
        assert.match(text, /#nova.*Ballroom A.*09:00–10:45.*Live migration/s);
        assert.match(await page.$eval("#schedule", (e) => e.textContent!), /Ballroom A/);
        assert.match(await page.$eval("#days", (e) => e.textContent!), /Monday 12 Apr/);
        // Nothing that needs the script shows without it.
        assert.equal(await page.$eval("#theme-toggle", (b) => b.hidden), true);
        assert.equal(await page.$eval("#live-status", (e) => e.textContent), "");
        await page.close();
      });

      const { page, w } = await open(browser, program, "/ptg.html");

      await t.step("each current topic says where and when; no room today is marked", async () => {
        const where = await page.$$eval(
          "#now li",
          (lis) => lis.map((li) => [li.dataset.track, li.querySelector(".where")?.textContent ?? ""]),
        );
        assert.deepEqual(Object.fromEntries(where), {
          cinder: "Cedar · 09:00–10:45",
          neutron: "Hallway by the coffee",
          nova: "Ballroom A · 09:00–10:45",
          swift: "No room today",
        });
        assert.equal(
          await page.$eval("#now li[data-track=nova] .people", (e) => e.textContent),
          "1 here: olga",
        );
        // Beside the badge, on its line, at every size.
        for (const [width, height] of Object.values(SIZES)) {
          await page.setViewport({ width, height });
          const boxes = await page.$$eval("#now li", (lis) =>
            lis.map((li) => {
              const b = li.querySelector(".badge").getBoundingClientRect();
              const w = li.querySelector(".where").getBoundingClientRect();
              return {
                track: li.dataset.track,
                visible: w.width > 0,
                sameLine: w.top < b.bottom && w.bottom > b.top,
              };
            }));
          for (const b of boxes) {
            assert.ok(b.visible && b.sameLine, `${width}x${height}: ${JSON.stringify(b)}`);
          }
        }
        await page.setViewport({ width: 1366, height: 900 });
      });

      await t.step("no two tracks share a colour, and white text on each reaches AA", async () => {
        const colours = await page.evaluate(() => {
          const out: Record<string, string> = {};
          for (const b of document.querySelectorAll(".badge")) {
            out[b.textContent] = getComputedStyle(b).backgroundColor;
          }
          return out;
        });
        const values = Object.values(colours);
        assert.ok(values.length >= 8, JSON.stringify(colours));
        assert.equal(new Set(values).size, values.length, JSON.stringify(colours));
        for (const [track, c] of Object.entries(colours)) {
          const [r, g, b] = c.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((v) => {
            const s = v / 255;
            return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          const contrast = 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
          assert.ok(contrast >= 4.5, `${track} ${c}: ${contrast.toFixed(2)}`);
        }
      });

      await t.step("skip links: two Tab stops and Enter to reach the day tabs", async () => {
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press("Tab");
        assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
        await page.keyboard.press("Tab");
        assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the schedule");
        await page.keyboard.press("Enter");
        await page.keyboard.press("Tab");
        assert.equal(
          await page.evaluate(() => document.activeElement.getAttribute("aria-selected")),
          "true",
          "the chosen day's tab",
        );
      });

      await t.step("arrow keys switch days; focus stays on the tabs", async () => {
        await page.focus("#days [aria-selected=true]");
        await page.keyboard.press("ArrowRight");
        assert.equal(
          await page.$eval("#days [aria-selected=true]", (b) => b.getAttribute("data-day")),
          "Tuesday",
        );
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-day")), "Tuesday");
        assert.equal(await page.$eval("#days [tabindex='0']", (b) => b.getAttribute("data-day")), "Tuesday");
        assert.match(await page.$eval("#schedule caption", (c) => c.textContent), /Tuesday 13 Apr/);
        await page.keyboard.press("End");
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-day")), "Friday");
        await page.keyboard.press("ArrowRight");
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-day")), "Monday");
        await page.keyboard.press("ArrowLeft");
        await page.keyboard.press("Enter");
        assert.equal(
          await page.$eval("#days [aria-selected=true]", (b) => b.getAttribute("data-day")),
          "Friday",
        );
      });

      await t.step(
        "an update patches in place: the focused tab keeps focus, untouched nodes stay",
        async () => {
          await page.evaluate(() => {
            window.keptTab = document.activeElement;
            window.keptRow = document.querySelector("#now li[data-track=nova]");
          });
          await run(program, "#cinder now Snapshots");
          await page.waitForFunction(() => document.getElementById("now").textContent.includes("Snapshots"), {
            timeout: 3000,
          });
          assert.ok(await page.evaluate(() => document.activeElement === window.keptTab), "focus kept");
          assert.ok(
            await page.evaluate(() => document.querySelector("#now li[data-track=nova]") === window.keptRow),
            "unchanged row is the same node",
          );
          assert.match(await page.$eval("#now-status", (e) => e.textContent), /#cinder now: Snapshots/);
          assert.equal(await page.$eval("#now-status", (e) => e.getAttribute("aria-live")), "polite");
          // A row that comes before it leaves it the same node too.
          await run(program, "#horizon now Dashboards");
          await page.waitForFunction(
            () => document.getElementById("now").textContent.includes("Dashboards"),
            {
              timeout: 3000,
            },
          );
          assert.ok(
            await page.evaluate(() => document.querySelector("#now li[data-track=nova]") === window.keptRow),
            "a row inserted before leaves the row the same node",
          );
          assert.deepEqual(
            await page.$$eval("#now li", (lis) => lis.map((li) => li.dataset.track)),
            ["cinder", "horizon", "neutron", "nova", "swift"],
          );
          assert.ok(await page.evaluate(() => document.activeElement === window.keptTab), "focus still kept");
        },
      );

      await t.step("the running slot moves with the clock without a rebuild", async () => {
        await page.click("#days [data-day=Monday]");
        const before = await page.evaluate(() => {
          window.keptTable = document.querySelector("#schedule table");
          return document.querySelector("#schedule thead th.current span").textContent;
        });
        assert.equal(before, "MonA1");
        // Two hours on (11:xx: MonA2 runs), and the tab shown again.
        await page.evaluate(() => {
          window.clockShift = 2 * 3600_000;
          document.dispatchEvent(new Event("visibilitychange"));
        });
        assert.equal(await page.$eval("#schedule thead th.current span", (e) => e.textContent), "MonA2");
        assert.ok(await page.evaluate(() => document.querySelector("#schedule table") === window.keptTable));
        assert.match(
          await page.$eval("#now li[data-track=nova] .where", (e) => e.textContent),
          /11:00–12:30/,
        );
        await page.evaluate(() => {
          window.clockShift = 0;
          document.dispatchEvent(new Event("visibilitychange"));
        });
      });

      await t.step("dark mode follows the system, and the toggle is remembered", async () => {
        const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
        assert.equal(await bg(), "rgb(17, 22, 28)");
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
        assert.equal(await bg(), "rgb(255, 255, 255)");
        await page.click("#theme-toggle");
        assert.equal(await bg(), "rgb(17, 22, 28)");
        await page.reload();
        await page.waitForSelector("body[data-loaded=yes]");
        assert.equal(await bg(), "rgb(17, 22, 28)", "remembered across a reload");
        await page.click("#theme-toggle");
        assert.equal(await bg(), "rgb(255, 255, 255)");
        // The other steps follow the system's choice again.
        await page.evaluate(() => window.localStorage.clear());
      });

      await t.step("a phone: now and where first, today before next, the running slot in view", async () => {
        await page.setViewport({ width: 390, height: 844 });
        await page.reload();
        await page.waitForSelector("body[data-loaded=yes]");
        const top = await page.$eval("#now li", (li) => li.getBoundingClientRect().bottom);
        assert.ok(top < 844, `first topic ends at ${top}px`);
        assert.ok(
          await page.evaluate(() =>
            document.getElementById("schedule").compareDocumentPosition(document.getElementById("next")) === 4
          ),
          "schedule before next",
        );
        const inView = await page.evaluate(() => {
          const scroller = document.querySelector("#schedule .scroll").getBoundingClientRect();
          const cell = document.querySelector("#schedule thead th.current").getBoundingClientRect();
          return cell.left >= scroller.left && cell.right <= scroller.right + 1;
        });
        assert.ok(inView, "current slot column visible");
        assert.equal(await page.$eval("#help details h3", (h) => h.textContent), "Channel operators");
        assert.equal(await page.$eval("#help details", (d) => d.open), false, "operator help folded");
      });

      await t.step("every page: no overflow at 320 px, axe clean light and dark, screenshots", async () => {
        const found: string[] = [];
        for (const path of PAGES) {
          const name = path.slice(1, -5);
          const p = (await open(browser, program, path)).page;
          await p.setViewport({ width: 320, height: 700 });
          assert.ok((await overflow(p)) <= 1, `${path} overflows at 320 px by ${await overflow(p)}px`);
          const sizes: [string, number, number][] = Object.entries(SIZES).map(([k, [x, y]]) => [k, x, y]);
          if (path === "/signage.html") sizes.push(["portrait", 1080, 1920]);
          for (const [label, width, height] of sizes) {
            await p.setViewport({ width, height });
            for (const scheme of ["light", "dark"] as const) {
              await p.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
              const background = await p.evaluate(() =>
                getComputedStyle(document.documentElement).backgroundColor
              );
              if (path !== "/signage.html") {
                assert.equal(background, scheme === "dark" ? "rgb(17, 22, 28)" : "rgb(255, 255, 255)");
              }
              found.push(...(await violations(p)).map((v) => `${path} ${label} ${scheme}: ${v}`));
              await p.screenshot({
                path: `${OUT}${name}-${label}-${scheme}.png`,
                fullPage: path !== "/signage.html",
              });
            }
          }
          await p.close();
        }
        assert.deepEqual(found, []);
      });
      assert.deepEqual(w.errors, []);
    } finally {
      await browser.close();
      await program.stop();
    }
  },
});

/** Whether the signage page fits its screen without scrolling. */
async function fits(page: Page): Promise<[number, number]> {
  return await page.evaluate((): [number, number] => [
    document.documentElement.scrollHeight - window.innerHeight,
    document.documentElement.scrollWidth - window.innerWidth,
  ]);
}

Deno.test({
  name: "pages: signage fits a landscape and a portrait screen, for the sample event and a 20-room one",
  ...E2E,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-big-" });
    const big = `${dir}/big.json`;
    await Deno.writeTextFile(big, JSON.stringify(largeDocument({ rooms: 20, tracks: 37 })));
    const huge = `${dir}/huge.json`;
    await Deno.writeTextFile(huge, JSON.stringify(largeDocument({ rooms: 60, tracks: 150 })));
    const browser = await launch();
    try {
      for (const [label, base] of [["sample", undefined], ["20 rooms", big], ["60 rooms", huge]] as const) {
        const program = await start(undefined, base);
        await using _program = stopping(program);
        if (!base) await setup(program);
        const { page } = await open(browser, program, "/signage.html");
        for (const [width, height] of [[1920, 1080], [1080, 1920]]) {
          await page.setViewport({ width, height });
          const [down, across] = await fits(page);
          await page.screenshot({ path: `${OUT}signage-${label.replace(" ", "")}-${width}x${height}.png` });
          assert.ok(
            down <= 0 && across <= 0,
            `${label} at ${width}x${height}: ${down}px too tall, ${across}px wide`,
          );
          const rows = await page.$$eval("table.sign tbody tr", (r) => r.length);
          // The large event leaves every sixth room free: 17 of 20 in use; a page holds 12 rooms at most.
          assert.ok(base ? rows >= 2 && rows <= 12 : rows === 4, `${rows} rooms shown`);
          assert.ok(await page.$$eval("table.sign thead th.current", (t) => t.length >= 1), "now marked");
          const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
          assert.equal(bg, "rgb(15, 23, 32)", "dark to the edges");
        }
        if (base === huge) {
          // 50 rooms in use, 12 a page: the next half-minute shows the next page, in the same table.
          const ranges = ["Rooms 1–12 of 50", "Rooms 13–24 of 50", "Rooms 25–36 of 50", "Rooms 37–48 of 50"]
            .concat("Rooms 49–50 of 50");
          const first = await page.$eval(".sign-page", (p) => p.textContent);
          assert.ok(ranges.includes(first), first);
          await page.evaluate(() => {
            window.keptTable = document.querySelector("table.sign");
            window.clockShift = 30_000;
            document.dispatchEvent(new Event("visibilitychange"));
          });
          assert.equal(
            await page.$eval(".sign-page", (p) => p.textContent),
            ranges[(ranges.indexOf(first) + 1) % ranges.length],
          );
          assert.ok(await page.evaluate(() => document.querySelector("table.sign") === window.keptTable));
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
});
