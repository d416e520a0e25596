/**
 * The pages in a real browser (Debian's headless Chromium through
 * puppeteer-core): they render the event, follow changes live without a
 * reload, and show hostile input as text without running anything.
 */
import assert from "node:assert/strict";
import { launch, open, OUT, run, start } from "../helpers/browser.ts";
import { applyChanges, cloneState } from "../../lib/state/model.ts";
import { E2E } from "../helpers/e2e.ts";

// These run inside the browser (page.evaluate); the test itself is checked without the DOM library.
// deno-lint-ignore no-explicit-any
declare const document: any;
// deno-lint-ignore no-explicit-any
declare function getComputedStyle(e: unknown): any;
type HTMLAnchorElement = { href: string };

Deno.test({
  name: "browser: the page renders the event, updates live, keeps the tab, and shows hostile text as text",
  ...E2E,
  fn: async (t) => {
    await Deno.mkdir(OUT, { recursive: true });
    const program = await start();
    const browser = await launch();
    try {
      await run(program, "#nova now Live migration with #cinder, see https://wiki.example.org/nova");
      await run(program, "#nova next Quotas");
      await run(program, "#cinder next Backups");
      const { page, w } = await open(browser, program, "/ptg.html");
      const watchers = [w];

      await t.step("now, next and the schedule with today marked", async () => {
        // Now, next, the schedule.
        const nowRow = await page.$eval("#now li[data-track=nova]", (li) => li.textContent);
        assert.match(
          nowRow!,
          /#nova.*Ballroom A.*Live migration with #cinder, see https:\/\/wiki\.example\.org\/nova/,
        );
        const nowLinks = await page.$$eval("#now a", (as) => as.map((a) => (a as HTMLAnchorElement).href));
        assert.ok(nowLinks.includes("https://wiki.example.org/nova"));
        assert.ok(
          nowLinks.includes("https://meet.example.org/ballroom-a"),
          "the nova badge links to its room",
        );
        assert.equal(
          await page.$$eval("#now .badge", (b) => b.length),
          2,
          "track and #cinder mention are badges",
        );
        assert.match(await page.$eval("#next", (e) => e.textContent!), /#cinder.*Backups.*#nova.*Quotas/s);
        const tabs = await page.$$eval("#days button", (bs) => bs.map((b) => b.textContent));
        assert.deepEqual(tabs, [
          "Monday 12 Apr",
          "Tuesday 13 Apr",
          "Wednesday 14 Apr",
          "Thursday 15 Apr",
          "Friday 16 Apr",
        ]);
        assert.equal(
          await page.$eval("#days button[aria-selected=true]", (b) => b.getAttribute("data-day")),
          "Monday",
        );
        assert.equal(
          await page.$$eval("table.schedule th.current", (t) => t.length),
          1,
          "the current slot is marked",
        );
        assert.ok(
          await page.$$eval("td code.free", (c) => c.some((x) => x.textContent === "Overflow-MonA2")),
        );
        assert.ok(await page.$$eval("table.schedule th[scope=row]", (t) => t.length) >= 5);
      });
      await t.step("a command shows up live without a reload; the chosen tab stays", async () => {
        // Live: a command shows up without a reload, the chosen tab stays.
        await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
        await page.click("#days button:nth-child(3)");
        const chosen = await page.$eval("#days button[aria-selected=true]", (b) => b.textContent);
        const t0 = Date.now();
        await run(program, "#swift now Erasure codes");
        await page.waitForFunction(
          () => document.getElementById("now")!.textContent!.includes("Erasure codes"),
          { timeout: 2000 },
        );
        const took = Date.now() - t0;
        assert.ok(took < 2000, `update took ${took} ms`);
        assert.equal(
          await page.evaluate(() => (globalThis as unknown as { marker: number }).marker),
          42,
          "no reload",
        );
        assert.equal(await page.$eval("#days button[aria-selected=true]", (b) => b.textContent), chosen);
        await run(program, "+in #swift");
        await page.waitForFunction(
          () => document.querySelector("#now li[data-track=swift] .people")?.textContent === "1 here: olga",
          { timeout: 2000 },
        );
      });
      await t.step("after the stream ends the page reconnects and keeps following", async () => {
        // The stream ends (as when a process hands over): the page reconnects and keeps following.
        program.web.close();
        await new Promise((r) => setTimeout(r, 100));
        await run(program, "#swift next After the reconnect");
        await page.waitForFunction(
          () => document.getElementById("next")!.textContent!.includes("After the reconnect"),
          { timeout: 5000 },
        );
        assert.equal(
          await page.evaluate(() => (globalThis as unknown as { marker: number }).marker),
          42,
          "no reload",
        );
      });
      await t.step("hostile text through commands and straight into the state stays text", async () => {
        // Hostile input through the commands, and straight into the state.
        const hostile = [
          "<script>alert('topic')</script>",
          "<img src=x onerror=alert('img')>",
          "\"'><svg onload=alert('attr')>",
          "javascript:alert('js') and http://ok.example.org/\"onmouseover=alert(1)",
          "\u202eevil right-to-left \u200bzero\u200bwidth",
          "x".repeat(300),
        ];
        for (const [i, t] of hostile.entries()) {
          const track = ["nova", "cinder", "neutron", "keystone", "qa", "docs"][i];
          assert.ok((await run(program, `#${track} now ${t}`))?.[0].startsWith(`#${track} now: ${t}`));
        }
        await run(
          program,
          "~motd add danger <b>bold</b> <a href=javascript:alert(2)>x</a> https://ok.example.org/",
        );
        await run(program, "#nova color red;background-image:url(https://evil.example.org/x)");
        await run(program, "#nova url javascript:alert(3)");
        // Bypass the engine's checks: the page must refuse them again.
        const bad = cloneState(program.store.state);
        applyChanges(bad, [
          { op: "set", map: "urls", key: "cinder", value: "javascript:alert('url')" },
          {
            op: "set",
            map: "colors",
            key: "cinder",
            value: "red; background-image: url(https://evil.example.org/y)",
          },
          { op: "set", map: "now", key: "horizon", value: "</td></tr></table><h1>broken</h1>" },
        ]);
        bad.schedule.Cedar.url = "javascript:alert('room')";
        bad.links["<img src=x onerror=alert('link')>"] = "javascript:alert('link')";
        await program.store.replace(bad);
        program.runner.changed();
        await page.waitForFunction(
          () => document.getElementById("now")!.textContent!.includes("<h1>broken</h1>"),
          { timeout: 2000 },
        );
        const text = await page.$eval("#now", (e) => e.textContent!);
        for (const t of hostile) assert.ok(text.includes(t.slice(0, 40)), `shown as text: ${t.slice(0, 20)}`);
        assert.equal(
          await page.$$eval("#now script, #now img, #now svg, #now h1, #banners b", (e) => e.length),
          0,
        );
        const hrefs = await page.$$eval("a", (as) => as.map((a) => a.getAttribute("href") ?? ""));
        // Every link is http(s) or a path of this site: no other scheme, however it is spelled.
        const scheme = (h: string) => /^\s*([a-z][a-z0-9+.-]*):/i.exec(h)?.[1].toLowerCase();
        assert.ok(hrefs.every((h) => [undefined, "http", "https"].includes(scheme(h))), hrefs.join(" "));
        const cinderBg = await page.$eval(
          "#now .badge",
          () =>
            [...document.querySelectorAll(".badge")].filter((b) => b.textContent === "#cinder").map((b) =>
              getComputedStyle(b).backgroundImage
            ),
        );
        assert.ok(cinderBg.every((bg) => bg === "none"));
        assert.equal(
          await page.$eval(".topic", (e) => getComputedStyle(e).unicodeBidi),
          "isolate",
          "right-to-left text cannot flip what follows",
        );
        await page.screenshot({ path: `${OUT}ptg-desktop.png`, fullPage: true });
      });
      await t.step("a phone: nothing wider than the screen", async () => {
        // A phone: nothing wider than the screen but the schedule's own scroller.
        await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
        await new Promise((r) => setTimeout(r, 200));
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 1, `page wider than the phone by ${overflow}px`);
        await page.screenshot({ path: `${OUT}ptg-phone.png`, fullPage: true });
      });
      await t.step("the other pages: links, etherpads, signage", async () => {
        // The other pages.
        const links = await open(browser, program, "/index.html");
        assert.deepEqual(
          await links.page.$$eval("#links a", (as) => as.map((a) => a.textContent)),
          ["Event site", "Code of conduct", "Venue map"],
        );
        const pads = await open(browser, program, "/etherpads.html");
        assert.ok(
          (await pads.page.$$eval("#pads a", (as) => as.map((a) => (a as HTMLAnchorElement).href)))
            .includes("https://etherpad.opendev.org/p/TRN-ptg-swift"),
        );
        const sign = await open(browser, program, "/signage.html");
        await sign.page.setViewport({ width: 1920, height: 1080 });
        const cells = await sign.page.$$eval("table.sign th[scope=row]", (t) => t.map((x) => x.textContent));
        assert.ok(cells.includes("Ballroom A"));
        assert.ok(await sign.page.$$eval("table.sign thead th.current", (t) => t.length === 1));
        const size = await sign.page.$eval(
          "table.sign td",
          (td) => parseFloat(getComputedStyle(td).fontSize),
        );
        assert.ok(size >= 30, `signage text is ${size}px`);
        await sign.page.screenshot({ path: `${OUT}signage.png` });
        watchers.push(links.w, pads.w, sign.w);
      });
      await t.step("no dialog, script error or CSP violation on any page", () => {
        for (const watcher of watchers) {
          assert.deepEqual(watcher.dialogs, [], "no script ran");
          assert.deepEqual(watcher.errors, [], "no script errors or CSP violations");
        }
      });
    } finally {
      await browser.close();
      await program.stop();
    }
  },
});

Deno.test({
  name: "browser: the schedule opens on today, else the next event day, else the last one (event's zone)",
  ...E2E,
  fn: async () => {
    const program = await start();
    const browser = await launch();
    try {
      // The sample event runs Monday 12 to Friday 16 April 2027, slots from 09:00 UTC.
      for (
        const [at, day] of [
          ["2027-04-14T12:00:00Z", "Wednesday"], // during: today
          ["2027-04-01T12:00:00Z", "Monday"], // before: the first day
          ["2027-04-12T00:30:00Z", "Monday"], // early on the first day, before its first slot
          ["2027-04-16T23:59:00Z", "Friday"], // late on the last day
          ["2027-04-17T08:00:00Z", "Friday"], // after: the last day
          ["2027-05-12T09:00:00Z", "Friday"], // a Wednesday weeks later is not "Wednesday of the event"
        ] as const
      ) {
        const { page, w } = await open(browser, program, "/ptg.html", new Date(at));
        assert.equal(
          await page.$eval("#days button[aria-selected=true]", (b) => b.getAttribute("data-day")),
          day,
          at,
        );
        const sign = await open(browser, program, "/signage.html", new Date(at));
        assert.match(await sign.page.$eval("#title", (e) => e.textContent!), new RegExp(`: ${day}( |$)`), at);
        for (const watcher of [w, sign.w]) assert.deepEqual(watcher.errors, []);
        await page.close();
        await sign.page.close();
      }
    } finally {
      await browser.close();
      await program.stop();
    }
  },
});
