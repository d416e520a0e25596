// @ts-check
/// <reference lib="dom" />
/**
 * The browser's side of the shared tree (`lib/shared/vdom.js`): makes a
 * part of the DOM match a tree, touching only what changed, so focus, scroll
 * and selection stay.
 *
 * @module
 */

/** @typedef {import("../lib/shared/vdom.js").Child} Child */

/**
 * Creates a DOM node from a tree node: text as text, attributes as attributes.
 * @param {Child} v
 * @returns {Node}
 */
function create(v) {
  if (typeof v === "string") return document.createTextNode(v);
  const node = document.createElement(v.tag);
  for (const [k, value] of Object.entries(v.attrs)) node.setAttribute(k, value);
  for (const c of v.children) node.append(create(c));
  return node;
}

/**
 * @param {Element} node
 * @param {Record<string, string>} attrs
 */
function patchAttrs(node, attrs) {
  for (const a of [...node.attributes]) if (!(a.name in attrs)) node.removeAttribute(a.name);
  for (const [k, value] of Object.entries(attrs)) {
    if (node.getAttribute(k) !== value) node.setAttribute(k, value);
  }
}

/**
 * A tree node's key: the track its row is for.
 * @param {Child} v
 * @returns {string | undefined}
 */
const keyOf = (v) => (typeof v === "string" ? undefined : v.attrs["data-track"]);

/**
 * A DOM node's key, as `keyOf`.
 * @param {Node} n
 * @returns {string | undefined}
 */
const nodeKey = (n) => (n instanceof Element ? n.getAttribute("data-track") ?? undefined : undefined);

/**
 * Makes `parent`'s children match `children`, reusing every node whose kind
 * still matches. Children keyed by `data-track` (a track's row) stay the same
 * node when rows come and go around them.
 * @param {Node} parent
 * @param {Child[]} children
 */
export function patch(parent, children) {
  const wanted = new Set(children.map(keyOf).filter((k) => k !== undefined));
  if (wanted.size) {
    for (const n of [...parent.childNodes]) {
      const k = nodeKey(n);
      if (k !== undefined && !wanted.has(k)) n.remove();
    }
  }
  let i = 0;
  for (const v of children) {
    /** @type {Node | undefined} */
    let cur = parent.childNodes[i];
    const key = keyOf(v);
    if (key !== undefined && cur && nodeKey(cur) !== key) {
      const own = [...parent.childNodes].find((n) => nodeKey(n) === key);
      if (own) {
        parent.insertBefore(own, cur);
        cur = own;
      } else {
        parent.insertBefore(create(v), cur);
        i++;
        continue;
      }
    }
    if (typeof v === "string") {
      if (cur instanceof Text) {
        if (cur.data !== v) cur.data = v;
      } else parent.insertBefore(create(v), cur ?? null);
    } else if (cur instanceof Element && cur.localName === v.tag) {
      patchAttrs(cur, v.attrs);
      patch(cur, v.children);
    } else parent.insertBefore(create(v), cur ?? null);
    i++;
  }
  while (parent.lastChild && parent.childNodes.length > i) parent.lastChild.remove();
}
