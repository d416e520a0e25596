/** The shared tree and its HTML writer (`lib/shared/vdom.js`): escaping, and tags and attribute names only from code. */
import assert from "node:assert/strict";
import { h, toHtml } from "../../lib/shared/vdom.js";

Deno.test("render: text and attributes are escaped; tags and attribute names come only from code", () => {
  const html = toHtml(h("p", { title: `"><script>x</script>` }, "<b>&'</b>"));
  assert.equal(html, `<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;&amp;&#39;&lt;/b&gt;</p>`);
  assert.throws(() => toHtml(h("p onclick=x", {})));
  assert.throws(() => toHtml(h("p", { onclick: "x" })));
  assert.throws(() => toHtml(h("p", { 'a"b': "x" })));
  // Adjacent text joins, empty text and absent attributes vanish: the shape the HTML parser gives back.
  assert.deepEqual(h("p", { a: undefined, b: false }, "x", "", ["y", null]), {
    tag: "p",
    attrs: {},
    children: ["xy"],
  });
});
