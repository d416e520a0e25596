/**
 * Hostile lines, many of them: arbitrary Unicode and binary-ish text, IRC
 * control codes, 10 KB lines, markup in nicks and track names, patterns
 * built to backtrack. Nothing throws, nothing hangs, the state stays valid.
 * CI runs a fixed number of cases; set PTGBOT_FUZZ_RUNS for more.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Speaker } from "../../lib/engine/types.ts";
import { runLine } from "../../lib/engine/engine.ts";
import { applyChanges } from "../../lib/state/model.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { validateDocument } from "../../lib/state/document.ts";
import { safeOutgoing, splitText, stripFormatting } from "../../lib/irc/text.ts";
import { CTX, sampleState, stateProblems } from "../helpers/fixtures.ts";
import { COMMANDS, lead } from "../../lib/engine/commands.ts";

const RUNS = Number(Deno.env.get("PTGBOT_FUZZ_RUNS") ?? "300");

const control = fc.constantFrom(
  "\x02",
  "\x03",
  "\x0304,12",
  "\x04ff0000",
  "\x0f",
  "\x16",
  "\x1d",
  "\x1f",
  "\x00",
  "\r",
  "\n",
  "\x07",
);
const nasty = fc.constantFrom(
  "<script>alert(1)</script>",
  "\"'><svg/onload=alert(1)>",
  "javascript:alert(1)",
  "(a+)+$",
  "(x+x+)+y",
  "((a|a)*)*b",
  "\u202e\u200b\ufeff",
  "\ud800",
  "💥",
  "__proto__",
  "constructor",
  "#nova",
  "#NOVA",
  "Overflow-MonA1",
  "https://example.org/x",
);
const word = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: control },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);
// Every command of the table (aliases too) as a start, so random arguments reach every parser and handler.
const prefix = fc.constantFrom(
  "",
  "+",
  "#",
  "~",
  "~motd add info ",
  ...COMMANDS.flatMap((c) => c.words.map((w) => `${lead(c, w, "nova", "+")} `)),
);
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(prefix, fc.array(word, { maxLength: 8 })).map(([p, ws]) => p + ws.join(" ")),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(prefix, fc.string({ minLength: 9000, maxLength: 10_240 })).map(([p, s]) => p + s),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
);
const speaker = fc.record({
  nick: fc.oneof(
    fc.constantFrom("alice", "<b>x</b>", "__proto__", "a\u202eb"),
    fc.string({ minLength: 1, maxLength: 30 }),
  ),
  place: fc.constantFrom("channel", "private") as fc.Arbitrary<"channel" | "private">,
  op: fc.boolean(),
  voice: fc.boolean(),
}).map((s): Speaker => ({ ...s, id: s.nick.toLowerCase() }));

Deno.test("fuzz: hostile lines through the engine never throw and keep the state valid", () => {
  let lines = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(speaker, line), { minLength: 1, maxLength: 60 }), (script) => {
      const state = sampleState();
      for (const [who, text] of script) {
        const t0 = performance.now();
        const out = runLine(state, who, text, CTX);
        assert.ok(performance.now() - t0 < 500, `slow line: ${JSON.stringify(text).slice(0, 80)}`);
        if (out) {
          applyChanges(state, out.changes, "2027-04-12 10:00:00");
          // One line answers with a few short lines at most.
          assert.ok(out.replies.filter((r) => !r.to).length <= 2);
          for (const r of out.replies) assert.ok(r.text.length < 2000);
        }
        lines++;
      }
      assert.deepEqual(stateProblems(state), []);
      assert.ok(state.motd.length <= 10 && Object.values(state.next).every((l) => l.length <= 20));
      assert.ok(Object.values(state.now).every((t) => t.length <= 300));
      assert.ok(Object.values(state.subscriptions).every((p) => p === null || p.length <= 200));
      const doc = validateDocument(JSON.parse(stateToJson(state, true)));
      assert.ok(doc.ok, doc.ok ? "" : doc.error);
    }),
    { numRuns: RUNS },
  );
  assert.ok(lines > RUNS);
});

Deno.test("fuzz: IRC text: formatting stripped, lines within 512 bytes, no character split, no CR/LF/NUL", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), control, nasty), { maxLength: 200 })
        .map((a) => a.join(" ")),
      fc.integer({ min: 20, max: 450 }),
      (text, budget) => {
        const stripped = stripFormatting(text);
        assert.doesNotMatch(stripped, /[\x02\x03\x04\x0f\x16\x1d\x1f]/);
        const lines = splitText(text, budget, 4);
        assert.ok(lines.length <= 4);
        const enc = new TextEncoder();
        for (const l of lines) {
          assert.ok(enc.encode(l).length <= budget, `${enc.encode(l).length} > ${budget}`);
          assert.doesNotMatch(l, /[\r\n\0]/);
          assert.equal(l, l.toWellFormed(), "a character was split");
        }
        if (enc.encode(safeOutgoing(text).trim()).length <= budget) {
          assert.deepEqual(lines, safeOutgoing(text).trim() ? [safeOutgoing(text).trim()] : []);
        }
      },
    ),
    { numRuns: RUNS * 3 },
  );
});
