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
import { Representation } from "./representation.ts";

const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";

/** Pages by path. */
export const PAGES: Record<string, Representation> = {
  "/": new Representation(HTML, ptgHtml),
  "/ptg.html": new Representation(HTML, ptgHtml),
  "/etherpads.html": new Representation(HTML, etherpadsHtml),
  "/index.html": new Representation(HTML, indexHtml),
  "/signage.html": new Representation(HTML, signageHtml),
};

/** Scripts, styles and icons, under /assets/. */
export const ASSETS: Record<string, Representation> = {
  "/assets/ptg.css": new Representation("text/css; charset=utf-8", styleCss),
  "/assets/common.js": new Representation(JS, commonJs),
  "/assets/ptg.js": new Representation(JS, ptgJs),
  "/assets/etherpads.js": new Representation(JS, etherpadsJs),
  "/assets/links.js": new Representation(JS, linksJs),
  "/assets/signage.js": new Representation(JS, signageJs),
  "/assets/icon.svg": new Representation("image/svg+xml", iconSvg),
};
