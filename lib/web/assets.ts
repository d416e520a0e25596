/** The pages, scripts and styles, embedded through imports so the bundle and the binary carry them. */
import ptgHtml from "../../static/ptg.html" with { type: "text" };
import etherpadsHtml from "../../static/etherpads.html" with { type: "text" };
import indexHtml from "../../static/index.html" with { type: "text" };
import signageHtml from "../../static/signage.html" with { type: "text" };
import styleCss from "../../static/ptg.css" with { type: "text" };
import commonJs from "../../static/common.js" with { type: "text" };
import ptgJs from "../../static/ptg.js" with { type: "text" };
import etherpadsJs from "../../static/etherpads.js" with { type: "text" };
import linksJs from "../../static/links.js" with { type: "text" };
import signageJs from "../../static/signage.js" with { type: "text" };
import iconSvg from "../../static/icon.svg" with { type: "text" };
import rulesJs from "../shared/rules.js" with { type: "text" };
import { helpHtml } from "./help.ts";
import { Representation } from "./representation.ts";

const HTML = "text/html; charset=utf-8";
const PAGE_CACHE = "public, max-age=60";
const ASSET_CACHE = "public, max-age=300";
const JS = "text/javascript; charset=utf-8";

// The main page's help lists the command table.
const mainPage = new Representation(HTML, ptgHtml.replace("<!-- commands -->", helpHtml()), PAGE_CACHE);

/** Pages by path. */
export const PAGES: Record<string, Representation> = {
  "/": mainPage,
  "/ptg.html": mainPage,
  "/etherpads.html": new Representation(HTML, etherpadsHtml, PAGE_CACHE),
  "/index.html": new Representation(HTML, indexHtml, PAGE_CACHE),
  "/signage.html": new Representation(HTML, signageHtml, PAGE_CACHE),
};

/** Scripts, styles and icons, under /assets/. */
export const ASSETS: Record<string, Representation> = {
  "/assets/ptg.css": new Representation("text/css; charset=utf-8", styleCss, ASSET_CACHE),
  "/assets/common.js": new Representation(JS, commonJs, ASSET_CACHE),
  "/assets/ptg.js": new Representation(JS, ptgJs, ASSET_CACHE),
  "/assets/etherpads.js": new Representation(JS, etherpadsJs, ASSET_CACHE),
  "/assets/links.js": new Representation(JS, linksJs, ASSET_CACHE),
  "/assets/signage.js": new Representation(JS, signageJs, ASSET_CACHE),
  "/assets/rules.js": new Representation(JS, rulesJs, ASSET_CACHE),
  "/assets/icon.svg": new Representation("image/svg+xml", iconSvg, ASSET_CACHE),
};
