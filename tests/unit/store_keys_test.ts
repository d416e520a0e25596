/**
 * The store's key layout (`lib/storage/store_keys.ts`): a state written as entities reads back equal; small
 * changes map to keys.
 */
import assert from "node:assert/strict";
import {
  changeMutations,
  entities,
  generationOf,
  olderGenerations,
  readGeneration,
  roomOrderOf,
} from "../../lib/storage/store_keys.ts";
import { addMutations } from "../../lib/storage/kv.ts";
import { stateToJson } from "../../lib/state/json.ts";
import { emptyState } from "../../lib/state/model.ts";
import { sampleState } from "../helpers/fixtures.ts";

Deno.test("store keys: a generation's entities read back as the state they were written from", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const state = sampleState();
    const op = kv.atomic();
    addMutations(op, entities(3, state));
    assert.ok((await op.commit()).ok);
    const read = await readGeneration(kv, 3);
    assert.equal(stateToJson(read.state, true), stateToJson(state, true));
    assert.deepEqual([...read.roomOrder], [...roomOrderOf(state)]);
    assert.ok(read.roomOrder.size > 0);
    // Another generation's keys are apart, and only older ones are in the range below a generation.
    assert.deepEqual(stateToJson((await readGeneration(kv, 4)).state, true), stateToJson(emptyState(), true));
    const older: number[] = [];
    for await (const e of kv.list(olderGenerations(4))) older.push(generationOf(e.key));
    assert.ok(older.length > 0 && older.every((g) => g === 3));
    for await (const _ of kv.list(olderGenerations(3))) assert.fail("no generation below 3");
  } finally {
    kv.close();
  }
});

Deno.test("store keys: small changes become keys; a whole state, ~emptydb or a new room do not", () => {
  const state = sampleState();
  const order = roomOrderOf(state);
  const [room] = order.keys();
  const next = { ...state, eventid: "next" };
  const out = changeMutations(
    2,
    [
      { op: "set", map: "now", key: "nova", value: "Quotas" },
      { op: "del", map: "next", key: "nova" },
      { op: "track", track: "zed", present: false },
      { op: "room", room, value: state.schedule[room] },
      { op: "record", entry: { at: "2027-04-12T10:00:00Z", track: "nova", room: "", topic: "Quotas" } },
    ],
    order,
    next,
    "2027-04-12 10:00:00",
  );
  assert.deepEqual(out?.map((m) => [m.key, m.value === undefined]), [
    [["ptg", 2, "now", "nova"], false],
    [["ptg", 2, "next", "nova"], true],
    [["ptg", 2, "tracks", "zed"], true],
    [["ptg", 2, "room", room], false],
    [["ptg", 2, "meta"], false],
  ]);
  assert.deepEqual(out!.at(-1)!.value, {
    eventid: "next",
    voice: state.voice,
    timestamp: "2027-04-12 10:00:00",
  });
  assert.equal(changeMutations(2, [{ op: "replace", state }], order, state, "t"), undefined);
  assert.equal(changeMutations(2, [{ op: "forget" }], order, state, "t"), undefined);
  assert.equal(
    changeMutations(2, [{ op: "room", room: "Nowhere", value: {} }], order, state, "t"),
    undefined,
  );
});
