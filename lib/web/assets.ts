/**
 * Scripts, styles and icons, under `/assets/`: the files listed in
 * `embedded.ts` (written from their folders by `embed.ts`), embedded through
 * imports so the bundle and the binary carry them.
 *
 * @module
 */
import { EMBEDDED } from "./embedded.ts";
import { contentType } from "./embed.ts";
import { Representation } from "./representation.ts";

const ASSET_CACHE = "public, max-age=300";

/** Scripts, styles and icons, under /assets/. */
export const ASSETS: Record<string, Representation> = {};
for (const [name, text] of Object.entries(EMBEDDED)) {
  // embed.ts lists only files it has a content type for.
  ASSETS[`/assets/${name}`] = new Representation(contentType(name)!, text, ASSET_CACHE);
}
// The main page's service worker is served from the root too: its scope is the folder it is served from,
// and it keeps the page at `/` and `/ptg.html`. Revalidated on every load, so a new one takes over at once.
ASSETS["/sw.js"] = new Representation(contentType("sw.js")!, EMBEDDED["sw.js"], "no-cache");
