/** Thousands of random lines from random speakers: the engine never throws and the state stays valid. */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Speaker } from "../../lib/engine/types.ts";
import { exportDocument, stateToJson } from "../../lib/state/json.ts";
import { validateDocument } from "../../lib/state/document.ts";
import { gridToDocument, stateToGrid } from "../../lib/state/csv_grid.ts";
import { completeState, mergeDocument } from "../../lib/state/json.ts";
import { emptyState } from "../../lib/state/model.ts";
import { isSlotKey } from "../../lib/state/schedule.ts";
import { COMMAND_WORDS, kvDriver, memoryDriver, stateProblems } from "../helpers/fixtures.ts";

const words = fc.oneof(
  fc.constantFrom(
    ...COMMAND_WORDS,
    "auto",
    "none",
    "info",
    "danger",
    "1",
    "2",
    "3",
    "nova",
    "NOVA",
    "cinder",
    "qa",
    "newtrack",
    "Overflow-MonA1",
    "Overflow-TueB2",
    "Ballroom",
    "A-MonA1",
    "https://example.org/x",
    "javascript:alert(1)",
    "teal",
    "#fff",
    "rgb(1,2,3)",
    "red;x",
    "(a+)+$",
    "(a)\\1",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "\u202e",
    "\u200b",
    "__proto__",
    // What a spreadsheet would run, for the grid written from the state.
    "=1+1",
    "'quoted",
    "@SUM(A1)",
    "-2",
  ),
  fc.string({ maxLength: 12 }),
);
const prefix = fc.constantFrom("", "+", "#", "~", "#nova ", "#qa ", "#NewTrack ", "~motd ");
const line = fc.tuple(prefix, fc.array(words, { minLength: 0, maxLength: 6 }))
  .map(([p, ws]) => p + ws.join(" "));
const speaker = fc.record({
  nick: fc.constantFrom("alice", "Bob", "__proto__", "constructor", "op"),
  place: fc.constantFrom("channel", "private") as fc.Arbitrary<"channel" | "private">,
  op: fc.boolean(),
  voice: fc.boolean(),
}).map((s): Speaker => ({ ...s, id: s.nick.toLowerCase() }));

function checkState(state: ReturnType<typeof emptyState>) {
  assert.deepEqual(stateProblems(state), []);
  for (const room of Object.values(state.schedule)) {
    for (const [k, v] of Object.entries(room)) {
      if (isSlotKey(k) && v !== "") assert.match(v, /^[a-z0-9][a-z0-9_-]*$/);
    }
  }
  // ptg.json (with private parts, as a backup) reads back to the same document.
  const text = stateToJson(state, true);
  const doc = validateDocument(JSON.parse(text));
  assert.ok(doc.ok, doc.ok ? "" : doc.error);
  assert.equal(stateToJson(completeState(mergeDocument(emptyState(), doc.doc)), true), text);
  // The schedule as a spreadsheet grid reads back to the same event id, rooms and cells.
  const grid = stateToGrid(state, "UTC");
  if (!grid.ok) return;
  const back = gridToDocument(grid.text, "UTC");
  assert.ok(back.ok, back.ok ? "" : back.errors.join("\n"));
  assert.equal(back.doc.eventid, state.eventid);
  assert.deepEqual(Object.keys(back.doc.schedule), Object.keys(state.schedule));
  for (const [name, room] of Object.entries(back.doc.schedule)) {
    for (const [key, value] of Object.entries(room)) assert.equal(state.schedule[name][key] ?? "", value);
  }
}

Deno.test("property: random lines through the engine keep the state valid", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(speaker, line), { minLength: 1, maxLength: 40 }), (script) => {
      const d = memoryDriver();
      for (const [who, text] of script) {
        void d.run(who, text);
        assert.deepEqual(stateProblems(d.state()), [], text);
      }
      checkState(d.state());
    }),
    { numRuns: 250 },
  );
});

Deno.test("property: random lines through the KV store keep the state valid and equal to the engine's", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(speaker, line), { minLength: 1, maxLength: 15 }), async (script) => {
      const mem = memoryDriver();
      const kv = await kvDriver();
      try {
        for (const [who, text] of script) {
          const a = await mem.run(who, text);
          const b = await kv.run(who, text);
          assert.deepEqual(b, a, text);
        }
        assert.equal(stateToJson(kv.state(), true), stateToJson(mem.state(), true));
        checkState(kv.state());
      } finally {
        await kv.close();
      }
    }),
    { numRuns: 25 },
  );
});

Deno.test("property: the cached ptg.json writer gives JSON.stringify's bytes", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(speaker, line), { minLength: 1, maxLength: 30 }), (script) => {
      const d = memoryDriver();
      for (const [who, text] of script) {
        void d.run(who, text);
        for (const priv of [false, true]) {
          assert.equal(stateToJson(d.state(), priv), JSON.stringify(exportDocument(d.state(), priv)));
        }
      }
    }),
    { numRuns: 100 },
  );
});
