// The event's useful links (the state's `links`).
import { banners, el, live, safeUrl } from "./common.js";

live((state) => {
  document.getElementById("banners").replaceChildren(...banners(state));
  const links = Object.entries(state.links ?? {}).filter(([, url]) => safeUrl(url));
  document.getElementById("links").replaceChildren(
    links.length
      ? el(
        "ul",
        { class: "links" },
        links.map(([title, url]) =>
          el("li", {}, el("a", { href: safeUrl(url), rel: "noopener noreferrer" }, title))
        ),
      )
      : el("p", { class: "empty" }, "No links yet."),
  );
  document.getElementById("updated").textContent = state.timestamp || "never";
});
