/** The etherpads page's regions (`lib/shared/etherpads_page.js`): each track's pad, only http(s) ones linked. */
import assert from "node:assert/strict";
import { etherpadsRegions } from "../../lib/shared/etherpads_page.js";
import { toHtml } from "../../lib/shared/vdom.js";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const view = { now: NOW.getTime(), timeZone: "UTC" };

Deno.test("render: each track's etherpad: its own, else the event's name under the base; never a javascript: one", () => {
  const state = { ...sampleState(), etherpad_base: "https://pads.example.org/p/" };
  state.etherpads = { nova: "https://pads.example.org/p/nova-own", cinder: "javascript:alert(1)" };
  const html = toHtml(etherpadsRegions(state, view).pads);
  assert.match(html, /#nova<\/a> <a href="https:\/\/pads\.example\.org\/p\/nova-own"/);
  assert.match(html, /#swift<\/span> <a href="https:\/\/pads\.example\.org\/p\/TRN-ptg-swift"/);
  assert.match(html, /#cinder<\/a> –<\/li>/);
  assert.doesNotMatch(html, /javascript:/);
  state.tracks = [];
  assert.equal(toHtml(etherpadsRegions(state, view).pads), '<p class="empty">No tracks yet.</p>');
});
