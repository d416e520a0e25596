// @ts-check
/**
 * The tree every page is drawn as: plain objects (tag, attributes, children)
 * that both sides read. The server writes it as HTML here, escaping every
 * text and attribute value once; the browser patches its DOM to match it
 * (`static/common.js`).
 *
 * @module
 */

/**
 * An element: tag, attributes (strings only), children (elements or text).
 * @typedef {{ tag: string, attrs: Record<string, string>, children: Child[] }} VNode
 * @typedef {VNode | string} Child
 * @typedef {Child | null | undefined | false} Leaf
 * @typedef {Leaf | Leaf[] | Leaf[][]} ChildArg
 */

/**
 * Makes an element. Attributes whose value is undefined, null or false are
 * left out; adjacent text is joined and empty text dropped, so the tree has
 * the shape the HTML parser gives its markup back.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined | null>} [attrs]
 * @param {...ChildArg} children
 * @returns {VNode}
 */
export function h(tag, attrs = {}, ...children) {
  /** @type {Record<string, string>} */
  const a = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    a[k] = v === true ? "" : String(v);
  }
  return { tag, attrs: a, children: normalize(children) };
}

/**
 * @param {ChildArg[]} list
 * @returns {Child[]}
 */
export function normalize(list) {
  /** @type {Child[]} */
  const out = [];
  const add = (/** @type {ChildArg} */ c) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) return c.forEach(add);
    if (typeof c === "string") {
      if (c === "") return;
      if (typeof out[out.length - 1] === "string") out[out.length - 1] += c;
      else out.push(c);
      return;
    }
    out.push(c);
  };
  list.forEach(add);
  return out;
}

/** @type {Record<string, string>} */
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const VOID = new Set(["img", "br", "input", "meta", "link"]);
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The tree as HTML. Tags and attribute names come from code; they are
 * checked anyway, so that a slip can never open a hole.
 * @param {Child | Child[]} node
 * @returns {string}
 */
export function toHtml(node) {
  if (Array.isArray(node)) return node.map(toHtml).join("");
  if (typeof node === "string") return escapeHtml(node);
  if (!NAME.test(node.tag)) throw new Error(`bad tag ${node.tag}`);
  let out = `<${node.tag}`;
  for (const [k, v] of Object.entries(node.attrs)) {
    if (!NAME.test(k) || k.startsWith("on")) throw new Error(`bad attribute ${k}`);
    out += v === "" ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  out += ">";
  if (VOID.has(node.tag)) return out;
  return `${out}${node.children.map(toHtml).join("")}</${node.tag}>`;
}
