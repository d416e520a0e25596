/**
 * The attendee's own choices (`lib/shared/mine.js`): the stored stars read
 * defensively, the calendar feed URL of the starred set read back to the
 * same set, and which tracks and rooms a filter or search leaves in view.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { calendarHref, MAX_STARS, readStars, roomShown, shown, tracksOfHref } from "../../lib/shared/mine.js";
import { NOW, sampleState } from "../helpers/fixtures.ts";

Deno.test("stars: damaged or hostile storage reads as a clean set", () => {
  assert.deepEqual(readStars(null), []);
  assert.deepEqual(readStars("{not json"), []);
  assert.deepEqual(readStars('{"nova":1}'), []);
  assert.deepEqual(readStars('["Nova","nova","cinder",3,"<b>","a b",""]'), ["cinder", "nova"]);
  const many = JSON.stringify(Array.from({ length: 5000 }, (_, i) => `t${i}`));
  assert.equal(readStars(many).length, MAX_STARS);
});

Deno.test("calendar feed: the URL of a starred set reads back to that set", () => {
  assert.equal(calendarHref([]), "ptg.ics");
  assert.equal(calendarHref(["nova", "Cinder"]), "ptg.ics?tracks=cinder,nova");
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
  fc.assert(fc.property(fc.uniqueArray(name, { maxLength: 30 }), (tracks) => {
    const href = calendarHref(tracks);
    assert.deepEqual(tracksOfHref(href), [...tracks].sort());
    // The server reads it with the URL parser too: the same set.
    const url = new URL(href, "http://127.0.0.1/");
    assert.equal(url.pathname, "/ptg.ics");
  }));
});

Deno.test("filter and search: only starred tracks, or those whose name, topic or room holds the words", () => {
  const state = {
    ...sampleState(),
    now: { nova: "Live migration", cinder: "Backups", swift: "Erasure codes" },
  } as Record<string, unknown>;
  const view = { now: NOW.getTime(), timeZone: "UTC", mine: ["nova"] };
  assert.ok(shown(state, { ...view }, "cinder"));
  assert.ok(!shown(state, { ...view, only: true }, "cinder"));
  assert.ok(shown(state, { ...view, only: true }, "nova"));
  assert.ok(shown(state, { ...view, query: " ERASURE " }, "swift"));
  assert.ok(!shown(state, { ...view, query: "erasure" }, "nova"));
  // nova is in Ballroom A at 10:00 on Monday.
  assert.ok(shown(state, { ...view, query: "ballroom" }, "nova"));
  assert.ok(roomShown(state, { ...view, query: "cedar" }, "Cedar", []));
  assert.ok(!roomShown(state, { ...view, query: "cedar" }, "Ballroom A", ["nova"]));
  assert.ok(roomShown(state, { ...view, only: true }, "Ballroom A", ["nova"]));
  assert.ok(!roomShown(state, { ...view, only: true }, "Cedar", ["cinder"]));
});
