/** The web side's one cache (`lib/web/version_cache.ts`): only the newest version, a bound on entries. */
import assert from "node:assert/strict";
import { VersionCache } from "../../lib/web/version_cache.ts";

Deno.test("version cache: a value is served only for the version it was built at", () => {
  const cache = new VersionCache<string>(8);
  let builds = 0;
  const build = (v: number) => () => `built at ${v} (#${++builds})`;
  assert.equal(cache.take("/ptg.json", 1, build(1)), "built at 1 (#1)");
  assert.equal(cache.take("/ptg.json", 1, build(1)), "built at 1 (#1)", "kept within a version");
  assert.equal(cache.take("/ptg.json", 2, build(2)), "built at 2 (#2)", "a new version builds again");
  assert.equal(cache.get("/ptg.json", 1), undefined, "an older version is not served");
  assert.equal(cache.get("/ptg.json", 2), undefined, "nor kept once another version was asked for");
  // A build that ends after the version moved is handed out, not kept.
  assert.equal(cache.get("/history.json", 3), undefined);
  cache.get("/history.json", 4);
  assert.equal(cache.set("/history.json", 3, "late"), "late");
  assert.equal(cache.get("/history.json", 4), undefined);
  assert.equal(cache.size, 0);
});

Deno.test("version cache: another key (the half-minute) builds again, handed what it had", () => {
  const cache = new VersionCache<{ bytes: string }>(8);
  const first = cache.take("/ptg.html", 1, () => ({ bytes: "a" }), 10);
  let before: { bytes: string } | undefined;
  const same = cache.take("/ptg.html", 1, (b) => {
    before = b;
    return b?.bytes === "a" ? b : { bytes: "a" };
  }, 11);
  assert.equal(before, first);
  assert.equal(same, first, "a rebuild that changed nothing keeps the value it had");
  assert.equal(cache.get("/ptg.html", 1, 10), undefined, "the earlier key is no longer served");
  assert.equal(cache.get("/ptg.html", 1, 11), first);
  // A new version hands nothing over.
  cache.take("/ptg.html", 2, (b) => {
    before = b;
    return { bytes: "b" };
  }, 11);
  assert.equal(before, undefined);
});

Deno.test("version cache: never more than its bound, the least recently used dropped first", () => {
  const cache = new VersionCache<number>(3);
  // As a hostile client asking for a new path each time would make it.
  for (let i = 0; i < 1000; i++) {
    cache.take(`/t${i}.ics`, 1, () => i);
    assert.ok(cache.size <= 3, `size ${cache.size} after ${i + 1}`);
  }
  assert.equal(cache.size, 3);
  assert.deepEqual([997, 998, 999].map((i) => cache.get(`/t${i}.ics`, 1)), [997, 998, 999]);
  assert.equal(cache.get("/t996.ics", 1), undefined);
  // Asking for one, or building it again, makes it the most recently used.
  cache.get("/t997.ics", 1);
  cache.take("/new.ics", 1, () => 5);
  assert.equal(cache.get("/t998.ics", 1), undefined);
  assert.equal(cache.get("/t997.ics", 1), 997);
  cache.take("/t999.ics", 1, () => -1, 1);
  cache.take("/newer.ics", 1, () => 6);
  assert.equal(cache.get("/new.ics", 1), undefined);
  assert.equal(cache.get("/t999.ics", 1, 1), -1);
  assert.throws(() => new VersionCache(0), RangeError);
});
