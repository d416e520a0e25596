/** The server-rendered pages of the large event, built as after a change (HTML and its Representation). */
import { pageHtml } from "../lib/web/pages.ts";
import { Representation } from "../lib/web/representation.ts";
import { tracksCss } from "../lib/state/colors.ts";
import { largeState } from "./large_event.ts";

const state = largeState();
const served = { ...state, timezone: "UTC", etherpad_base: "https://etherpad.opendev.org/p/" };
const now = Date.parse("2027-04-12T10:30:00Z");

for (const path of ["/ptg.html", "/signage.html", "/etherpads.html", "/index.html"]) {
  Deno.bench(`page ${path} built from the state, as served`, { group: "pages" }, () => {
    // A fresh copy each time, as a change gives: nothing cached from the previous build.
    new Representation("text/html; charset=utf-8", pageHtml(path, { ...served }, now));
  });
}

Deno.bench("/tracks.css for 300 tracks", { group: "pages" }, () => {
  tracksCss(state.tracks, state.colors);
});
