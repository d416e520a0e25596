/** The pages as served (`lib/web/live_pages.ts`): once per version and half-minute, the same object when unchanged. */
import assert from "node:assert/strict";
import { LivePages } from "../../lib/web/live_pages.ts";
import type { Representation } from "../../lib/web/representation.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { VersionCache } from "../../lib/web/version_cache.ts";
import { applyChanges } from "../../lib/state/model.ts";
import { sampleState } from "../helpers/fixtures.ts";

function live(start: string) {
  const store = { state: sampleState(), version: 1 };
  const clock = { now: Date.parse(start) };
  const pages = new LivePages(
    snapshots(store, { etherpadBase: "https://pads.example.org/p/", timeZone: "UTC" }),
    new VersionCache<Representation>(16),
    () => clock.now,
  );
  return { store, clock, pages };
}

Deno.test("live pages: the same bytes within a slot, the running slot moved after it", () => {
  const { clock, pages } = live("2027-04-12T10:00:00Z");
  const first = pages.page("/ptg.html");
  assert.match(new TextDecoder().decode(first.body), /class="current" title="09:00-10:45"/);
  clock.now += 5 * 60_000;
  const later = pages.page("/ptg.html");
  // Ten half-minutes on, nothing moved: the representation it had (its compressed forms with it).
  assert.equal(later, first);
  clock.now = Date.parse("2027-04-12T11:05:00Z");
  const moved = pages.page("/ptg.html");
  assert.notEqual(moved.etag, first.etag);
  assert.match(new TextDecoder().decode(moved.body), /class="current" title="11:00-12:30"/);
});

Deno.test("live pages: a new version is built from the new state, never served from the old one", () => {
  const { store, pages } = live("2027-04-12T10:00:00Z");
  const before = pages.page("/ptg.html");
  const css = pages.styles();
  applyChanges(
    store.state,
    [{ op: "set", map: "now", key: "nova", value: "Quotas again" }],
    "2027-04-12 10:00:01",
  );
  // The same object changed in place: only the version tells the cache.
  assert.equal(pages.page("/ptg.html"), before);
  store.version = 2;
  const after = pages.page("/ptg.html");
  assert.notEqual(after.etag, before.etag);
  assert.match(new TextDecoder().decode(after.body), /Quotas again/);
  assert.notEqual(pages.styles(), css);
});
