/**
 * The HTML pages: one layout (head, navigation, footer) around each page's
 * own body, put together once at start, so every page has the same frame.
 *
 * @module
 */
import layoutHtml from "../../static/layout.html" with { type: "text" };
import ptgHtml from "../../static/ptg.html" with { type: "text" };
import etherpadsHtml from "../../static/etherpads.html" with { type: "text" };
import indexHtml from "../../static/index.html" with { type: "text" };
import signageHtml from "../../static/signage.html" with { type: "text" };
import { helpHtml } from "./help.ts";
import { Representation } from "./representation.ts";

export interface Page {
  path: string;
  /** Its label in the navigation. */
  nav: string;
  title: string;
  /** The page's first heading; a page without it brings its own header (signage). */
  heading?: string;
  script: string;
  body: string;
  /** On `<html>` and `<body>`. */
  className?: string;
}

const LIST: Page[] = [
  {
    path: "/ptg.html",
    nav: "Tracks",
    title: "Event tracks: now, next and schedule",
    heading: "Event tracks",
    script: "ptg.js",
    // The help lists the command table.
    body: ptgHtml.replace("<!-- commands -->", helpHtml()),
  },
  {
    path: "/etherpads.html",
    nav: "Etherpads",
    title: "Etherpads",
    heading: "Etherpads",
    script: "etherpads.js",
    body: etherpadsHtml,
  },
  {
    path: "/index.html",
    nav: "Useful links",
    title: "Useful links",
    heading: "Useful links",
    script: "links.js",
    body: indexHtml,
  },
  {
    path: "/signage.html",
    nav: "Signage",
    title: "Today's tracks",
    script: "signage.js",
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

function header(page: Page): string {
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

/** A page in the layout (the record's page, `history.ts`, renders itself through this). */
export function render(page: Page): string {
  const fill: Record<string, string> = {
    page_class: page.className ?? "",
    title: page.title,
    script: page.script,
    header: header(page),
    body: page.body.trimEnd(),
  };
  return layoutHtml.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => fill[key]);
}

const HTML = "text/html; charset=utf-8";
const PAGE_CACHE = "public, max-age=60";

/** Pages by path (`/` is the main page). */
export const PAGES: Record<string, Representation> = Object.fromEntries(
  LIST.map((p) => [p.path, new Representation(HTML, render(p), PAGE_CACHE)]),
);
PAGES["/"] = PAGES["/ptg.html"];
