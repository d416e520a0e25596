// @ts-check
/// <reference lib="dom" />
/**
 * The event's record: the server renders it; this keeps the footer live and
 * swaps in the server's newer rendering when entries were added.
 *
 * @module
 */
import { byId, live } from "./common.js";

live(async (state) => {
  byId("updated").textContent = state.timestamp || "never";
  const main = document.querySelector("main.history");
  const res = await fetch("history.json", { cache: "no-cache" });
  if (!res.ok) return;
  /** @type {{ entries: unknown[] }} */
  const record = await res.json();
  if (!(main instanceof HTMLElement) || String(record.entries.length) === main.dataset.entries) return;
  const page = await fetch("history.html", { cache: "no-cache" });
  if (!page.ok) return;
  // Parsed as an inert document: the server escaped every text in it.
  const fresh = new DOMParser().parseFromString(await page.text(), "text/html").querySelector("main.history");
  if (fresh) main.replaceWith(document.adoptNode(fresh));
});
