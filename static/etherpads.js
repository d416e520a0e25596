// Each track with its etherpad: its own, or the one named after the event and track.
import { badge, banners, el, live, safeUrl } from "./common.js";
import { DEFAULT_ETHERPAD_BASE, etherpadOf } from "./rules.js";

function padOf(state, track) {
  return safeUrl(etherpadOf(state, track, state.etherpad_base ?? DEFAULT_ETHERPAD_BASE));
}

live((state) => {
  document.getElementById("banners").replaceChildren(...banners(state));
  const tracks = state.tracks ?? [];
  document.getElementById("pads").replaceChildren(
    tracks.length
      ? el(
        "table",
        { class: "pads" },
        el(
          "thead",
          {},
          el("tr", {}, el("th", { scope: "col" }, "Track"), el("th", { scope: "col" }, "Etherpad")),
        ),
        el(
          "tbody",
          {},
          tracks.map((t) => {
            const href = padOf(state, t);
            return el(
              "tr",
              {},
              el("th", { scope: "row" }, badge(state, t)),
              el(
                "td",
                {},
                href ? el("a", { href, rel: "noopener noreferrer", target: "_blank" }, href) : "–",
              ),
            );
          }),
        ),
      )
      : el("p", { class: "empty" }, "No tracks yet."),
  );
  document.getElementById("updated").textContent = state.timestamp || "never";
});
