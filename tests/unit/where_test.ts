/** Where and when a track is, as the pages show it (`lib/shared/where.js`). */
import assert from "node:assert/strict";
import { whereOf } from "../../lib/shared/where.js";
import { NOW, sampleState } from "../helpers/fixtures.ts";

const at = NOW.getTime();

Deno.test("render: where a track is: location, else today's room and slot, else its URL, else no room today", () => {
  const state = sampleState();
  assert.deepEqual(
    { ...whereOf(state, "nova", at), slot: whereOf(state, "nova", at).slot?.name },
    { place: "Ballroom A", href: "https://meet.example.org/ballroom-a", slot: "MonA1", none: false },
  );
  assert.equal(whereOf(state, "swift", at).none, true, "swift has no room on Monday");
  state.urls.swift = "https://meet.example.org/swift";
  assert.deepEqual(whereOf(state, "swift", at), {
    place: "Online",
    href: "https://meet.example.org/swift",
    none: false,
  });
  state.location.nova = "Hallway";
  assert.equal(whereOf(state, "nova", at).place, "Hallway");
  state.location.nova = "Cedar";
  assert.equal(whereOf(state, "nova", at).href, "https://meet.example.org/cedar");
  // Later on the day its next booking, not the first.
  assert.equal(whereOf(state, "cinder", Date.parse("2027-04-12T12:45:00Z")).slot?.name, "MonB1");
});
