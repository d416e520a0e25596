/**
 * The HTML pages: one layout (head, navigation, footer) around each page's
 * own body, put together once at start, so every page has the same frame.
 * Each page's live regions (`<!--@name-->`) are filled from the state by the
 * shared renderers (`lib/shared/render.js`), the ones the page's script
 * patches itself with, so a page arrives readable without JavaScript.
 *
 * @module
 */
import layoutHtml from "../../static/layout.html" with { type: "text" };
import ptgHtml from "../../static/ptg.html" with { type: "text" };
import etherpadsHtml from "../../static/etherpads.html" with { type: "text" };
import indexHtml from "../../static/index.html" with { type: "text" };
import signageHtml from "../../static/signage.html" with { type: "text" };
import { helpHtml } from "./help.ts";
import { RENDERERS } from "../shared/render.js";
import { toHtml } from "../shared/vdom.js";

/** What the layout needs of a page. */
export interface Frame {
  path: string;
  /** Its label in the navigation. */
  nav: string;
  title: string;
  /** The page's first heading; a page without it brings its own header (signage). */
  heading?: string;
  script: string;
  body: string;
  /** Skip links besides "Skip to content": target id and label. */
  skips?: [string, string][];
  /** On `<html>` and `<body>`. */
  className?: string;
}

/** A live page: its frame and its renderer in the shared module. */
export interface Page extends Frame {
  renderer: keyof typeof RENDERERS;
}

const LIST: Page[] = [
  {
    path: "/ptg.html",
    nav: "Tracks",
    title: "Event tracks: now, next and schedule",
    heading: "<!--@title-->",
    script: "ptg.js",
    renderer: "ptg",
    skips: [["schedule-title", "Skip to the schedule"]],
    // The help lists the command table.
    body: ptgHtml.replace("<!-- commands -->", helpHtml()),
  },
  {
    path: "/etherpads.html",
    nav: "Etherpads",
    title: "Etherpads",
    heading: "Etherpads",
    script: "etherpads.js",
    renderer: "etherpads",
    body: etherpadsHtml,
  },
  {
    path: "/index.html",
    nav: "Useful links",
    title: "Useful links",
    heading: "Useful links",
    script: "links.js",
    renderer: "links",
    body: indexHtml,
  },
  {
    path: "/signage.html",
    nav: "Signage",
    title: "Today's tracks",
    script: "signage.js",
    renderer: "signage",
    body: signageHtml,
    className: "signage",
  },
];

/** Navigation entries: the pages, and the calendar of every track. */
const NAV: [string, string][] = [...LIST.map((p): [string, string] => [p.path, p.nav]), [
  "/history.html",
  "History",
], [
  "/ptg.ics",
  "Calendar",
]];

function header(page: Frame): string {
  if (!page.heading) return "";
  const links = NAV.map(([path, label]) =>
    `        <a href="${path.slice(1)}"${path === page.path ? ' aria-current="page"' : ""}>${label}</a>`
  );
  return [
    '    <header class="top">',
    `      <h1 id="title">${page.heading}</h1>`,
    '      <nav aria-label="Pages">',
    ...links,
    "      </nav>",
    "    </header>",
  ].join("\n");
}

/** A page in the layout, its regions still marked. */
function render(page: Frame): string {
  const fill: Record<string, string> = {
    page_class: page.className ?? "",
    title: page.title,
    script: page.script,
    header: header(page),
    skips: [["main", "Skip to content"], ...page.skips ?? []].map(([id, label]) =>
      `<a class="skip" href="#${id}">${label}</a>`
    ).join(""),
    body: page.body.trimEnd(),
  };
  return layoutHtml.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => fill[key]);
}

/**
 * A page outside the live set (the history's, `history.ts`): its frame with
 * the regions every page shares filled (the track colours and the time of
 * the state's last change).
 */
export function framedPage(page: Frame, timestamp: string | undefined): string {
  const shared: Record<string, string> = {
    tracks_css: toHtml(`tracks.css?v=${encodeURIComponent(timestamp ?? "")}`),
    updated: toHtml(timestamp || "never"),
  };
  return render(page).replace(/<!--@(\w+)-->/g, (_, name: string) => shared[name] ?? "");
}

/** A page split at its regions: text, region name, text, …, text. */
interface Template {
  parts: string[];
  renderer: keyof typeof RENDERERS;
}

const TEMPLATES: Record<string, Template> = Object.fromEntries(
  LIST.map((p) => [p.path, { parts: render(p).split(/\s*<!--@(\w+)-->\s*/), renderer: p.renderer }]),
);
TEMPLATES["/"] = TEMPLATES["/ptg.html"];

/** True for the paths of the pages (`/` is the main page). */
export function isPage(path: string): boolean {
  return Object.hasOwn(TEMPLATES, path);
}

/**
 * A page's HTML with the state in it. `state` carries the served extras
 * (`timezone`, `etherpad_base`), as `ptg.json` does; times are shown in the
 * event's zone until the page's script shows them on the visitor's clock.
 * The starred-track controls are drawn for an empty set: they show only
 * where the script runs (`html.js`), which keeps the stars.
 */
export function pageHtml(path: string, state: Record<string, unknown>, now: number): string {
  const t = TEMPLATES[path];
  const zone = typeof state.timezone === "string" ? state.timezone : "UTC";
  // No stars yet (the browser keeps them), drawn so the page keeps its shape when its script adds them.
  const view = { now, timeZone: zone, mine: [] };
  const regions: Record<string, unknown> = RENDERERS[t.renderer](state, view);
  regions.tracks_css = [`tracks.css?v=${encodeURIComponent(String(state.timestamp ?? ""))}`];
  return t.parts.map((part, i) => {
    if (i % 2 === 0) return part;
    const region = regions[part] as Parameters<typeof toHtml>[0] | undefined;
    return region ? toHtml(region) : "";
  }).join("");
}
