// @ts-check
/**
 * The etherpads page's regions (`/etherpads.html`): each track with its
 * etherpad, its own or the one named after the event and the track.
 *
 * @module
 */
import { DEFAULT_ETHERPAD_BASE, etherpadOf } from "./rules.js";
import { h } from "./vdom.js";
import { safeUrl } from "./where.js";
import { badge, banners } from "./pieces.js";

/**
 * @param {import("./where.js").State} state
 * @param {import("./where.js").View} view
 * @returns {import("./pieces.js").Regions}
 */
export function etherpadsRegions(state, view) {
  const tracks = Array.isArray(state.tracks) ? state.tracks : [];
  const base = typeof state.etherpad_base === "string" ? state.etherpad_base : DEFAULT_ETHERPAD_BASE;
  return {
    banners: banners(state, view.now),
    pads: tracks.length
      ? [h(
        "ul",
        { class: "pads" },
        tracks.map((/** @type {string} */ t) => {
          const href = safeUrl(etherpadOf(state, t, base));
          return h(
            "li",
            {},
            badge(state, t, view.now),
            " ",
            href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }, href) : "–",
          );
        }),
      )]
      : [h("p", { class: "empty" }, "No tracks yet.")],
    updated: [String(state.timestamp || "never")],
  };
}
