// @ts-check
/**
 * Each live page's renderer, by the name the page's script and the server
 * use: from the state and a view (the moment, the viewer's zone, the chosen
 * day) the page's regions as trees (`vdom.js`). The server writes them as
 * HTML so a page arrives with the state in it; the browser patches its DOM
 * to match them, so the two never disagree.
 *
 * Text from the state only ever becomes text nodes or attribute values,
 * both escaped; links are made only from http(s) URLs (`pieces.js`).
 *
 * @module
 */
import { ptgRegions } from "./ptg_page.js";
import { etherpadsRegions } from "./etherpads_page.js";
import { linksRegions } from "./links_page.js";
import { signageRegions } from "./signage_page.js";

/** Each page's renderer, by the name the page's script and the server use. */
export const RENDERERS = {
  ptg: ptgRegions,
  etherpads: etherpadsRegions,
  links: linksRegions,
  signage: signageRegions,
};
