/** The pieces the pages share (`lib/shared/pieces.js`): the one rule for links in text, and badges. */
import assert from "node:assert/strict";
import { badge, richText } from "../../lib/shared/pieces.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const at = NOW.getTime();

Deno.test("render: links only from http(s) URLs, #track badges only for known tracks", () => {
  const state = sampleState();
  const out = toHtml(richText(state, "see javascript:alert(1) https://ok.example.org/x. #nova #nosuch", at));
  assert.match(out, /<a href="https:\/\/ok\.example\.org\/x"/);
  assert.doesNotMatch(out, /href="javascript/);
  assert.match(out, /class="badge t-nova"/);
  assert.match(out, /#nosuch$/);
  state.urls.nova = "javascript:alert(2)";
  assert.doesNotMatch(toHtml(badge(state, "nova", at)), /javascript/);
  assert.doesNotMatch(toHtml(badge(state, "<x>", at)), /<x>/);
});

Deno.test("render: without a moment a badge links only to its track's own URL, never to a room", () => {
  const state = sampleState();
  assert.match(toHtml(badge(state, "nova", at)), /href="https:\/\/meet\.example\.org\/ballroom-a"/);
  assert.equal(toHtml(badge(state, "nova")), '<span class="badge t-nova">#nova</span>');
  state.urls.nova = "https://nova.example.org/";
  assert.match(
    toHtml(richText(state, "with #nova")),
    /<a class="badge t-nova" href="https:\/\/nova\.example\.org\/"/,
  );
});
