/** Subscription matching: the plain-text fast path agrees with RE2 on every pattern it takes. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compilePattern, patternMatches, patternProblem } from "../../lib/engine/subscriptions.ts";

Deno.test("subscriptions: literal patterns give RE2's answer", () => {
  const alphabet = fc.constantFrom(..."abcXYZ019 -_#:,'\"!@%&=<>~`/;".split(""));
  fc.assert(
    fc.property(
      fc.string({ unit: alphabet, maxLength: 6 }),
      fc.string({ unit: alphabet, maxLength: 40 }),
      (p, t) => {
        const re = compilePattern(p)!;
        assert.equal(patternMatches(p, t), re.matcher(t).find(), `${p} in ${t}`);
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("subscriptions: regex patterns, case-insensitive, linear time", () => {
  assert.equal(patternMatches("nova.*MIGRATION", "#nova now Live migration"), true);
  assert.equal(patternMatches("^#cinder", "#nova now cinder"), false);
  const t0 = performance.now();
  assert.equal(patternMatches("(a+)+$", `${"a".repeat(20000)}!`), false);
  assert.ok(performance.now() - t0 < 1000);
  assert.match(patternProblem("(?=x)")!, /Not a valid RE2/);
  assert.equal(patternProblem("a|b"), undefined);
});
