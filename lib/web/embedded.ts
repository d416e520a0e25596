/**
 * Every file served under `/assets/`, by its name there: written by `deno task assets`
 * (`lib/web/embed.ts`) from the files in static/ and lib/shared/; do not edit.
 *
 * @module
 */
import common_js from "../../static/common.js" with { type: "text" };
import etherpads_js from "../../static/etherpads.js" with { type: "text" };
import etherpads_page_js from "../../lib/shared/etherpads_page.js" with { type: "text" };
import history_js from "../../static/history.js" with { type: "text" };
import icon_svg from "../../static/icon.svg" with { type: "text" };
import labels_js from "../../lib/shared/labels.js" with { type: "text" };
import links_js from "../../static/links.js" with { type: "text" };
import links_page_js from "../../lib/shared/links_page.js" with { type: "text" };
import mine_js from "../../lib/shared/mine.js" with { type: "text" };
import patch_js from "../../static/patch.js" with { type: "text" };
import pieces_js from "../../lib/shared/pieces.js" with { type: "text" };
import ptg_css from "../../static/ptg.css" with { type: "text" };
import ptg_js from "../../static/ptg.js" with { type: "text" };
import ptg_page_js from "../../lib/shared/ptg_page.js" with { type: "text" };
import render_js from "../../lib/shared/render.js" with { type: "text" };
import rules_js from "../../lib/shared/rules.js" with { type: "text" };
import signage_js from "../../static/signage.js" with { type: "text" };
import signage_page_js from "../../lib/shared/signage_page.js" with { type: "text" };
import sw_js from "../../static/sw.js" with { type: "text" };
import theme_js from "../../static/theme.js" with { type: "text" };
import vdom_js from "../../lib/shared/vdom.js" with { type: "text" };
import where_js from "../../lib/shared/where.js" with { type: "text" };

/** Each served file's text, by its name under `/assets/`. */
export const EMBEDDED: Readonly<Record<string, string>> = {
  "common.js": common_js,
  "etherpads.js": etherpads_js,
  "etherpads_page.js": etherpads_page_js,
  "history.js": history_js,
  "icon.svg": icon_svg,
  "labels.js": labels_js,
  "links.js": links_js,
  "links_page.js": links_page_js,
  "mine.js": mine_js,
  "patch.js": patch_js,
  "pieces.js": pieces_js,
  "ptg.css": ptg_css,
  "ptg.js": ptg_js,
  "ptg_page.js": ptg_page_js,
  "render.js": render_js,
  "rules.js": rules_js,
  "signage.js": signage_js,
  "signage_page.js": signage_page_js,
  "sw.js": sw_js,
  "theme.js": theme_js,
  "vdom.js": vdom_js,
  "where.js": where_js,
};
