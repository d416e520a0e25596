// @ts-check
/**
 * The useful links page's regions (`/index.html`): the state's `links`,
 * those with an http(s) URL.
 *
 * @module
 */
import { h } from "./vdom.js";
import { safeUrl } from "./where.js";
import { banners } from "./pieces.js";

/**
 * @param {import("./where.js").State} state
 * @param {import("./where.js").View} view
 * @returns {import("./pieces.js").Regions}
 */
export function linksRegions(state, view) {
  const links = Object.entries(state.links ?? {}).filter(([, url]) => safeUrl(url));
  return {
    banners: banners(state, view.now),
    links: links.length
      ? [h(
        "ul",
        { class: "links" },
        links.map(([name, url]) =>
          h("li", {}, h("a", { href: safeUrl(url), rel: "noopener noreferrer" }, name))
        ),
      )]
      : [h("p", { class: "empty" }, "No links yet.")],
    updated: [String(state.timestamp || "never")],
  };
}
