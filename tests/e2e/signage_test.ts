/**
 * Signage fits any event: generated events of 8, 20 and 60 rooms, each
 * with long banners and a topic for every track, at 1920×1080 and
 * 1080×1920. On every page of the rotation nothing scrolls either way and
 * every row, topic and banner lies inside the screen; one turn of the
 * pages (the page's own clock moved on, never the host's) shows every
 * room in use and every current topic.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { launch, open, OUT, start } from "../helpers/browser.ts";
import { largeDocument } from "../../bench/large_event.ts";
import { SIGN_PAGE_MS } from "../../lib/shared/signage_page.js";
import { E2E } from "../helpers/e2e.ts";

// These run inside the browser (page.evaluate); the test itself is checked without the DOM library.
// deno-lint-ignore no-explicit-any
declare const document: any;
// deno-lint-ignore no-explicit-any
declare const window: any;

/** What one page of the rotation shows, and how it sits on the screen. */
interface Shown {
  down: number;
  across: number;
  outside: string[];
  rooms: string[];
  topics: string[];
  topicLabel: string | null;
}

async function shown(page: Page): Promise<Shown> {
  return await page.evaluate((): Shown => {
    const el = document.scrollingElement;
    const outside: string[] = [];
    for (const e of document.querySelectorAll("table.sign tbody tr, ul.sign-now li, .banner, h2, footer")) {
      const r = e.getBoundingClientRect();
      if (r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5 || r.left < -0.5) {
        outside.push(`${e.tagName} ${e.textContent.slice(0, 40)} ${Math.round(r.bottom)}`);
      }
    }
    const labels = [...document.querySelectorAll("#now .sign-page")].map((p) => p.textContent);
    return {
      down: el.scrollHeight - window.innerHeight,
      across: el.scrollWidth - window.innerWidth,
      outside,
      rooms: [...document.querySelectorAll("table.sign tbody th")].map((t) => t.textContent),
      topics: [...document.querySelectorAll("ul.sign-now li .topic")].map((t) => t.textContent),
      topicLabel: labels[0] ?? null,
    };
  });
}

const BANNER =
  "Lunch is served in the atrium until 14:00; the shuttle to the hotel leaves from gate B every " +
  "twenty minutes, and the social event starts at 19:00 at the harbour, tickets at the registration desk. ";

Deno.test({
  name: "signage: 8, 20 and 60 rooms with banners page through on the clock and never scroll, both ways up",
  ...E2E,
  fn: async () => {
    await Deno.mkdir(OUT, { recursive: true });
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-signage-" });
    const browser = await launch();
    try {
      // Track counts prime to the 40 slots a room has, so every room in use runs a different track now.
      for (const [rooms, tracks] of [[8, 21], [20, 37], [60, 61]]) {
        const doc = largeDocument({ rooms, tracks, people: 50 });
        doc.motd = [
          { level: "danger", message: `Fire drill at 11:00. ${BANNER}` },
          { level: "warning", message: BANNER.repeat(2) },
          { level: "info", message: BANNER },
          { level: "success", message: "Welcome!" },
        ];
        const file = `${dir}/${rooms}.json`;
        await Deno.writeTextFile(file, JSON.stringify(doc));
        // Every sixth room is free in the generated event: these are the rooms in use now.
        const inUse = Array.from({ length: rooms }, (_, r) => r).filter((r) => r % 6 !== 5).length;
        const program = await start(undefined, file);
        try {
          const { page, w } = await open(browser, program, "/signage.html");
          for (const [width, height] of [[1920, 1080], [1080, 1920]]) {
            await page.setViewport({ width, height });
            const seenRooms = new Set<string>();
            const seenTopics = new Set<string>();
            let label: string | null = null;
            // More turns than any of these events has pages: what comes round again must fit too.
            for (let turn = 0; turn < 8; turn++) {
              const s = await shown(page);
              const where = `${rooms} rooms at ${width}x${height}, page ${turn}`;
              if (turn <= 1) {
                await page.screenshot({
                  path: `${OUT}signage-paged-${rooms}-${width}x${height}-${turn}.png`,
                });
              }
              assert.ok(
                s.down <= 0 && s.across <= 0,
                `${where}: ${s.down}px too tall, ${s.across}px too wide`,
              );
              assert.deepEqual(s.outside, [], where);
              assert.ok(s.topics.length >= 1 && s.rooms.length >= 1, where);
              for (const r of s.rooms) seenRooms.add(r);
              for (const t of s.topics) seenTopics.add(t);
              label ??= s.topicLabel;
              await page.evaluate((ms: number) => {
                window.clockShift += ms;
                document.dispatchEvent(new Event("visibilitychange"));
              }, SIGN_PAGE_MS);
            }
            assert.equal(seenRooms.size, inUse, `${rooms} rooms: every room in use shown`);
            // One topic per room in use (each runs a track whose topic is set).
            assert.equal(seenTopics.size, inUse, `${rooms} rooms: every current topic shown`);
            if (inUse > 8) assert.match(label ?? "", new RegExp(`^Topics \\d+–\\d+ of ${inUse}$`));
          }
          assert.deepEqual(w.errors, []);
          await page.close();
        } finally {
          await program.stop();
        }
      }
    } finally {
      await browser.close();
    }
  },
});
