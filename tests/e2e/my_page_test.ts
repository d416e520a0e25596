/**
 * The attendee's own page in Chromium: starred tracks first and a filter,
 * both kept across a reload; a search over tracks, topics and rooms; the
 * calendar feed of the starred set; times in either zone (both where they
 * differ), the choice kept; the last page and state served offline with
 * "offline since", and a change made meanwhile shown once back, without a
 * reload; notifications never asked for on load, shown for a starred track
 * once granted. The page's clock and zone are set, never the host's.
 */
import assert from "node:assert/strict";
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { fakeClock, launch, OUT, run, start, watch } from "../helpers/browser.ts";
import { NOW } from "../helpers/fixtures.ts";
import { readStars, tracksOfHref } from "../../lib/shared/mine.js";
import { E2E } from "../helpers/e2e.ts";

// These run inside the browser (page.evaluate); the test itself is checked without the DOM library.
// deno-lint-ignore no-explicit-any
declare const document: any;
// deno-lint-ignore no-explicit-any
declare const window: any;
// deno-lint-ignore no-explicit-any
declare const navigator: any;
// deno-lint-ignore no-explicit-any
declare const localStorage: any;
// deno-lint-ignore no-explicit-any
declare const caches: any;
// deno-lint-ignore no-explicit-any
declare const Notification: any;
// deno-lint-ignore no-explicit-any
declare const axe: any;
// deno-lint-ignore no-explicit-any
declare const ServiceWorkerRegistration: any;

const AXE = await Deno.readTextFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

/** axe-core's violations on the page as it is now (rule id and first targets). */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v: { id: string; nodes: { target: string[] }[] }) =>
    `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`
  );
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? "");
const tracksIn = (page: Page, selector: string) =>
  page.$$eval(selector, (lis) => lis.map((li) => li.getAttribute("data-track")));

async function reload(page: Page) {
  await page.reload();
  await page.waitForSelector("body[data-loaded=yes]", { timeout: 10_000 });
}

/** The page and its service worker both cut off the network (the worker's fetches are its own). */
async function network(page: Page, worker: CDPSession, up: boolean) {
  if (!up) await page.setOfflineMode(true);
  await worker.send("Network.emulateNetworkConditions", {
    offline: !up,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  if (up) await page.setOfflineMode(false);
}

async function workerSession(browser: Browser): Promise<CDPSession> {
  const target = await browser.waitForTarget((t) => t.type() === "service_worker", { timeout: 10_000 });
  const session = await target.createCDPSession();
  await session.send("Network.enable");
  return session;
}

Deno.test({
  name: "my page: stars, filter, search, calendar feed, my time, offline and back, notifications",
  ...E2E,
  fn: async (t) => {
    const program = await start();
    const browser = await launch();
    const origin = `http://127.0.0.1:${program.addr.port}`;
    try {
      await run(program, "#nova now Live migration with #cinder");
      await run(program, "#cinder now Backups and restores");
      await run(program, "#swift now Erasure codes");
      await run(program, "#nova next Quotas");

      const p = await browser.newPage();
      await p.emulateTimezone("UTC");
      await p.evaluateOnNewDocument(fakeClock, NOW.getTime());
      // Before the page's scripts: count every request for notification permission.
      await p.evaluateOnNewDocument(() => {
        window.permissionAsked = 0;
        const ask = Notification.requestPermission.bind(Notification);
        Notification.requestPermission = (...args: unknown[]) => {
          window.permissionAsked++;
          return ask(...args);
        };
        // Chromium's getNotifications() deletes, for good, every stored notification the platform does not
        // yet show, unless it was stored after the read began: a read while the page's showNotification()
        // is under way can lose that notification. So the test reads only once none is under way, and
        // knows which have been shown.
        window.showing = 0;
        window.shownTitles = [];
        const show = ServiceWorkerRegistration.prototype.showNotification;
        ServiceWorkerRegistration.prototype.showNotification = async function (
          title: string,
          ...rest: unknown[]
        ) {
          window.showing++;
          try {
            await show.call(this, title, ...rest);
            window.shownTitles.push(title);
          } finally {
            window.showing--;
          }
        };
      });
      const w = watch(p);
      await p.goto(`${origin}/ptg.html`);
      await p.waitForSelector("body[data-loaded=yes]", { timeout: 10_000 });

      await t.step("stars: a starred track comes first with now, next, where and when", async () => {
        assert.equal(await p.$eval("#mine-section", (s) => s.hidden), false);
        assert.match(await text(p, "#mine"), /No starred tracks yet/);
        const star = "#now li[data-track=nova] button.star";
        assert.equal(await p.$eval(star, (b) => b.getAttribute("aria-pressed")), "false");
        await p.click(star);
        assert.equal(await p.$eval(star, (b) => b.getAttribute("aria-pressed")), "true");
        assert.deepEqual(await tracksIn(p, "#mine li"), ["nova"]);
        assert.match(
          await text(p, "#mine li[data-track=nova]"),
          /#nova.*Ballroom A · 09:00–10:45.*Now: Live migration.*Next: Quotas/s,
        );
        // The keyboard too: a real button, Space toggles it.
        await p.focus("#now li[data-track=cinder] button.star");
        await p.keyboard.press("Space");
        assert.deepEqual(await tracksIn(p, "#mine li"), ["cinder", "nova"]);
      });

      await t.step("the filter shows only starred tracks; stars and filter survive a reload", async () => {
        await p.click("#only-mine");
        assert.equal(await p.$eval("#only-mine", (b) => b.getAttribute("aria-pressed")), "true");
        assert.deepEqual(await tracksIn(p, "#now li"), ["cinder", "nova"]);
        const rooms = await p.$$eval("#schedule tbody th", (ths) => ths.map((th) => th.textContent));
        assert.ok(rooms.length >= 1 && rooms.every((r) => /Ballroom A|Cedar/.test(r ?? "")), String(rooms));
        await reload(p);
        assert.equal(await p.$eval("#only-mine", (b) => b.getAttribute("aria-pressed")), "true");
        assert.deepEqual(await tracksIn(p, "#now li"), ["cinder", "nova"]);
        assert.deepEqual(await tracksIn(p, "#mine li"), ["cinder", "nova"]);
        await p.click("#only-mine");
        assert.deepEqual(await tracksIn(p, "#now li"), ["cinder", "nova", "swift"]);
      });

      await t.step("the search looks in track names, topics and rooms", async () => {
        await p.type("#search", "erasure");
        assert.deepEqual(await tracksIn(p, "#now li"), ["swift"]);
        await p.$eval("#search", (i) => (i.value = ""));
        await p.type("#search", "cedar");
        assert.deepEqual(await tracksIn(p, "#now li"), ["cinder"]);
        const rooms = await p.$$eval("#schedule tbody th", (ths) => ths.map((th) => th.textContent));
        assert.equal(rooms.length, 1);
        assert.match(rooms[0] ?? "", /^Cedar/);
        await p.$eval("#search", (i) => (i.value = ""));
        await p.type("#search", "zzz");
        assert.match(await text(p, "#now"), /Nothing here matches “zzz”/);
        await p.$eval("#search", (i) => (i.value = ""));
        await p.type("#search", "nova");
        assert.deepEqual(await tracksIn(p, "#now li"), ["nova"]);
        await p.$eval("#search", (i) => (i.value = ""));
        await p.type("#search", " ");
      });

      await t.step("the calendar link is the feed of the starred set, and reads back to it", async () => {
        const href = await p.$eval("#my-calendar", (a) => a.getAttribute("href")!);
        assert.equal(href, "ptg.ics?tracks=cinder,nova");
        const stored = readStars(await p.evaluate(() => localStorage.getItem("ptgbot-stars")));
        assert.deepEqual(tracksOfHref(href), stored);
        await p.click("#now li[data-track=swift] button.star");
        const more = await p.$eval("#my-calendar", (a) => a.getAttribute("href")!);
        assert.deepEqual(tracksOfHref(more), ["cinder", "nova", "swift"]);
        assert.deepEqual(
          readStars(await p.evaluate(() => localStorage.getItem("ptgbot-stars"))),
          tracksOfHref(more),
        );
        await p.click("#now li[data-track=swift] button.star");
      });

      await t.step(
        "my time: the visitor's zone or the event's, both shown where they differ; kept",
        async () => {
          const where = () => text(p, "#now li[data-track=nova] .where");
          assert.equal(await where(), "Ballroom A · 09:00–10:45", "one zone: one time");
          await p.emulateTimezone("America/New_York");
          await reload(p);
          assert.equal(await where(), "Ballroom A · 05:00–06:45 (09:00–10:45 event time)");
          assert.equal(await p.$eval("#zone-toggle", (b) => b.getAttribute("aria-pressed")), "false");
          assert.equal(await text(p, "#zone-toggle"), "Event's time (UTC)");
          await p.click("#zone-toggle");
          assert.equal(await where(), "Ballroom A · 09:00–10:45 (05:00–06:45 your time)");
          assert.match(await text(p, "#schedule thead th.current"), /09:00–10:45 \(05:00–06:45 your time\)/);
          await reload(p);
          assert.equal(await p.$eval("#zone-toggle", (b) => b.getAttribute("aria-pressed")), "true");
          assert.equal(await where(), "Ballroom A · 09:00–10:45 (05:00–06:45 your time)");
          await p.click("#zone-toggle");
          await p.emulateTimezone("UTC");
          await reload(p);
        },
      );

      await t.step(
        "with stars, both zones and the picker open: axe clean, no overflow at 320 px",
        async () => {
          await Deno.mkdir(OUT, { recursive: true });
          await p.emulateTimezone("America/New_York");
          await reload(p);
          await p.click(".pick summary");
          await p.type("#search", "a");
          const found: string[] = [];
          for (const [width, height] of [[320, 700], [390, 844], [1366, 900]]) {
            await p.setViewport({ width, height });
            const over = await p.evaluate(() =>
              document.documentElement.scrollWidth - document.documentElement.clientWidth
            );
            assert.ok(over <= 1, `${width} px: ${over} px too wide`);
            for (const scheme of ["light", "dark"] as const) {
              await p.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
              found.push(...(await violations(p)).map((v) => `${width} ${scheme}: ${v}`));
              await p.screenshot({ path: `${OUT}my-page-${width}-${scheme}.png`, fullPage: true });
            }
          }
          assert.deepEqual(found, []);
          await p.$eval("#search", (i) => (i.value = ""));
          await p.emulateTimezone("UTC");
          await p.setViewport({ width: 1366, height: 900 });
          await reload(p);
        },
      );

      await t.step("notifications: never asked on load; shown for a starred track once granted", async () => {
        assert.equal(await p.evaluate(() => window.permissionAsked), 0);
        assert.equal(await p.evaluate(() => Notification.permission), "default");
        await browser.defaultBrowserContext().overridePermissions(origin, ["notifications"]);
        await p.click("#notify-toggle");
        assert.equal(await p.$eval("#notify-toggle", (b) => b.getAttribute("aria-pressed")), "true");
        const shown = () =>
          p.evaluate(async () => {
            const reg = await navigator.serviceWorker.getRegistration();
            return (await reg.getNotifications()).map((n: { title: string; body: string }) =>
              `${n.title}: ${n.body}`
            );
          });
        /** Until the page has shown `title` and shows nothing more: only then is reading them safe. */
        const settled = (title: string) =>
          p.waitForFunction(
            (t: string) => window.showing === 0 && window.shownTitles.includes(t),
            { timeout: 10_000 },
            title,
          );
        await p.waitForFunction(() => navigator.serviceWorker.controller, { timeout: 10_000 });
        await run(program, "#nova now Quotas at last");
        await run(program, "#swift now Rings"); // not starred: no notification
        await p.waitForFunction(
          () => document.getElementById("now").textContent.includes("Rings"),
          { timeout: 5000 },
        );
        await settled("#nova now");
        assert.deepEqual(await shown(), ["#nova now: Quotas at last"]);
        // An hour on: nova's next slot (11:00) has begun.
        await p.evaluate(() => {
          window.clockShift = 3600_000;
          document.dispatchEvent(new Event("visibilitychange"));
        });
        await settled("#nova starts");
        assert.match((await shown()).join("\n"), /#nova starts: Ballroom A · 11:00–12:30/);
        await p.evaluate(() => {
          window.clockShift = 0;
          document.dispatchEvent(new Event("visibilitychange"));
        });
      });

      await t.step(
        "offline: the last page and state, marked; a change made meanwhile shown once back",
        async () => {
          await p.waitForFunction(() => navigator.serviceWorker.controller, { timeout: 10_000 });
          await p.waitForFunction(
            async () => Boolean(await caches.match("/ptg.html")) && Boolean(await caches.match("/ptg.json")),
            { timeout: 10_000 },
          );
          const worker = await workerSession(browser);
          await network(p, worker, false);
          await reload(p);
          await p.waitForSelector("body[data-offline=yes]", { timeout: 10_000 });
          assert.match(await text(p, "#offline-note"), /^Offline since 10:\d\d: showing the last state$/);
          assert.equal(await p.$eval("#offline-note", (n) => n.hidden), false);
          assert.match(await text(p, "#now li[data-track=nova]"), /Quotas at last/);
          assert.deepEqual(await tracksIn(p, "#mine li"), ["cinder", "nova"]);
          await p.evaluate(() => (window.sameDocument = true));

          await run(program, "#nova now Written while you were away");
          // Long enough offline that the stream gave up and the page polls (every 10 s): back online, it
          // must not wait for the next poll or the stream's 30 s retry.
          await p.waitForFunction(
            () => document.getElementById("live-status").textContent.includes("paused"),
            { timeout: 20_000 },
          );
          assert.doesNotMatch(await text(p, "#now"), /while you were away/);
          await network(p, worker, true);
          await p.waitForFunction(
            () => document.getElementById("now").textContent.includes("Written while you were away"),
            { timeout: 10_000 },
          );
          // Brought by the stream, back at once, not by the next poll (which leaves the stream paused).
          assert.equal(await text(p, "#live-status"), "Live");
          assert.equal(await p.evaluate(() => window.sameDocument), true, "caught up without a reload");
          assert.equal(await p.$eval("#offline-note", (n) => n.hidden), true);
          assert.equal(await p.evaluate(() => document.body.dataset.offline ?? null), null);
          await worker.detach();
        },
      );
      assert.deepEqual(w.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load/.test(e)), []);
    } finally {
      await browser.close();
      await program.stop();
    }
  },
});
