// @ts-check
/// <reference lib="dom" />
/**
 * The main page's service worker (served at `/sw.js`, so its scope is the
 * site): the page, its scripts and styles and `ptg.json` come from the
 * network while there is one, and each good answer is kept; when the venue's
 * network drops, the last kept answer is served instead, marked with the
 * `x-ptgbot-offline` header so the page can say it is showing the last state.
 * The live stream (`/events`) and everything else pass by untouched.
 *
 * @module
 */

const CACHE = "ptgbot-page-v1";
/** At most this many URLs are kept on the page's word: the page has about twenty. */
const MAX_KEEP = 64;

/**
 * What is kept: the page (also as `/`), its assets, its colours and state.
 * @param {URL} url
 */
function kept(url) {
  const p = url.pathname;
  return p === "/" || p === "/ptg.html" || p === "/ptg.json" || p === "/tracks.css" ||
    p.startsWith("/assets/");
}

/**
 * A kept answer, marked as such (a copy: the kept one stays as it was).
 * @param {Response} res
 */
function marked(res) {
  const headers = new Headers(res.headers);
  headers.set("x-ptgbot-offline", "1");
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** @type {Promise<Cache> | undefined} */
let opened;
const cache = () => (opened ??= caches.open(CACHE));

/**
 * From the network, keeping each whole good answer; the kept one when the
 * network fails. `/tracks.css?v=…` and `ptg.json` match by path alone, so
 * the last colours and state serve whichever version the kept page names.
 * The answer goes to the page at once; `keep` is handed the copy's writing,
 * which the page never waits for (the writes are queued in the order the
 * answers came, so the last kept is the newest).
 * @param {Request} req
 * @param {(writing: Promise<void>) => void} keep
 */
async function networkFirst(req, keep) {
  const url = new URL(req.url);
  // One copy per path: a new version replaces the last, so the cache never grows.
  url.search = "";
  try {
    const res = await fetch(req);
    if (res.status === 200) {
      const copy = res.clone();
      keep(cache().then((c) => c.put(url.href, copy)));
    }
    return res;
  } catch (e) {
    const old = await (await cache()).match(url.href);
    if (old) return marked(old);
    throw e;
  }
}

/** @type {any} */
const worker = self;

worker.addEventListener("install", () => worker.skipWaiting());
worker.addEventListener("activate", (/** @type {any} */ event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await worker.clients.claim();
  })());
});
worker.addEventListener("fetch", (/** @type {any} */ event) => {
  /** @type {Request} */
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin || !kept(url)) return;
  event.respondWith(networkFirst(req, (writing) => event.waitUntil(writing)));
});
// The page names what it loaded before this worker ran (itself, its scripts): kept at once, so the first
// visit already works offline.
worker.addEventListener("message", (/** @type {any} */ event) => {
  const urls = Array.isArray(event.data?.keep) ? event.data.keep.slice(0, MAX_KEEP) : [];
  event.waitUntil((async () => {
    /** @type {Promise<void>[]} */
    const writes = [];
    for (const href of urls) {
      if (typeof href !== "string") continue;
      const url = new URL(href, location.href);
      if (url.origin !== location.origin || !kept(url)) continue;
      try {
        await networkFirst(new Request(url.href), (writing) => writes.push(writing));
      } catch {
        // Kept on the next visit instead.
      }
    }
    await Promise.allSettled(writes);
  })());
});
// A notification clicked brings its page forward.
worker.addEventListener("notificationclick", (/** @type {any} */ event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const [page] = await worker.clients.matchAll({ type: "window" });
    if (page) await page.focus();
  })());
});
