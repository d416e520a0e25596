/** Scripts, styles and icons, embedded through imports so the bundle and the binary carry them. */
import styleCss from "../../static/ptg.css" with { type: "text" };
import commonJs from "../../static/common.js" with { type: "text" };
import ptgJs from "../../static/ptg.js" with { type: "text" };
import etherpadsJs from "../../static/etherpads.js" with { type: "text" };
import linksJs from "../../static/links.js" with { type: "text" };
import signageJs from "../../static/signage.js" with { type: "text" };
import historyJs from "../../static/history.js" with { type: "text" };
import iconSvg from "../../static/icon.svg" with { type: "text" };
import rulesJs from "../shared/rules.js" with { type: "text" };
import renderJs from "../shared/render.js" with { type: "text" };
import themeJs from "../../static/theme.js" with { type: "text" };
import { Representation } from "./representation.ts";

const ASSET_CACHE = "public, max-age=300";
const JS = "text/javascript; charset=utf-8";

/** Scripts, styles and icons, under /assets/. */
export const ASSETS: Record<string, Representation> = {
  "/assets/ptg.css": new Representation("text/css; charset=utf-8", styleCss, ASSET_CACHE),
  "/assets/common.js": new Representation(JS, commonJs, ASSET_CACHE),
  "/assets/ptg.js": new Representation(JS, ptgJs, ASSET_CACHE),
  "/assets/etherpads.js": new Representation(JS, etherpadsJs, ASSET_CACHE),
  "/assets/links.js": new Representation(JS, linksJs, ASSET_CACHE),
  "/assets/signage.js": new Representation(JS, signageJs, ASSET_CACHE),
  "/assets/history.js": new Representation(JS, historyJs, ASSET_CACHE),
  "/assets/rules.js": new Representation(JS, rulesJs, ASSET_CACHE),
  "/assets/render.js": new Representation(JS, renderJs, ASSET_CACHE),
  "/assets/theme.js": new Representation(JS, themeJs, ASSET_CACHE),
  "/assets/icon.svg": new Representation("image/svg+xml", iconSvg, ASSET_CACHE),
};
