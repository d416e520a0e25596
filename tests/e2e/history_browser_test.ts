/** `/history.html` in Chromium: hostile topics shown as text, only safe links, a phone's width, new entries live. */
import assert from "node:assert/strict";
import type { Program } from "../../lib/app/program.ts";
import { OP } from "../helpers/fixtures.ts";
import { launch, open, OUT, start } from "../helpers/browser.ts";
import { E2E } from "../helpers/e2e.ts";

// These run inside the browser (page.evaluate); the test itself is checked without the DOM library.
// deno-lint-ignore no-explicit-any
declare const document: any;

const run = (program: Program, line: string) => program.runner.run(OP, line);

Deno.test({
  name: "browser: /history.html shows the record safely, fits 390 and 320 px, and takes new entries live",
  ...E2E,
  fn: async () => {
    await Deno.mkdir(OUT, { recursive: true });
    const program = await start();
    const browser = await launch();
    try {
      await run(program, "#nova now <img src=x onerror=alert(1)>");
      await run(
        program,
        '#cinder now Backups, see https://wiki.example.org/cinder and javascript:alert(2) "x"',
      );
      await run(program, `#nova now Quotas <script>alert(3)</script> ${"averyveryverylongword".repeat(12)}`);
      const { page, w } = await open(browser, program, "/history.html");

      const main = await page.$eval("main.history", (m) => ({
        text: m.textContent as string,
        images: m.querySelectorAll("img, script, iframe").length,
        entries: m.dataset.entries as string,
      }));
      assert.equal(main.images, 0);
      assert.equal(main.entries, "3");
      assert.ok(main.text.includes("<img src=x onerror=alert(1)>"), "the hostile topic is shown as text");
      assert.ok(main.text.includes("<script>alert(3)</script>"));
      const hrefs: string[] = await page.$$eval("a", (as) => as.map((a) => a.getAttribute("href") ?? ""));
      for (const href of hrefs) {
        if (href.startsWith("#")) {
          // A skip link: to an element of this page.
          assert.ok(await page.$(`[id="${href.slice(1)}"]`), href);
          continue;
        }
        assert.match(href, /^(https?:\/\/|[a-z0-9_.-]+\.(html|ics|md)$|[a-z0-9_.-]+\.(html|ics|md)#)/, href);
      }
      assert.ok(hrefs.includes("https://wiki.example.org/cinder"));
      assert.ok(hrefs.includes("nova.md") && hrefs.includes("history.html"));
      assert.equal(await page.$eval('nav a[aria-current="page"]', (a) => a.textContent), "History");
      await page.screenshot({ path: `${OUT}history-desktop.png`, fullPage: true });

      for (const width of [390, 320]) {
        await page.setViewport({ width, height: 800, deviceScaleFactor: 1 });
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 1, `page wider than ${width} px by ${overflow}px`);
        await page.screenshot({ path: `${OUT}history-${width}.png`, fullPage: true });
      }

      // A new entry arrives without a reload.
      await run(program, "#swift now Erasure coding");
      await page.waitForFunction(() => document.querySelector("main.history")?.dataset.entries === "4", {
        timeout: 10_000,
      });
      assert.ok(
        (await page.$eval("main.history", (m) => m.textContent as string)).includes("Erasure coding"),
      );
      assert.deepEqual(w.dialogs, []);
      assert.deepEqual(w.errors, []);
      await page.close();
    } finally {
      await browser.close();
      await program.stop();
    }
  },
});
