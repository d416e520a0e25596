/** The web side's one input (`lib/web/snapshot.ts`): state and version read together, extras in one place. */
import assert from "node:assert/strict";
import { servedExtras, servedState, snapshots } from "../../lib/web/snapshot.ts";
import { stateToJson } from "../../lib/state/json.ts";
import type { HistoryEntry } from "../../lib/state/history.ts";
import { sampleState } from "../helpers/fixtures.ts";

const SETTINGS = { etherpadBase: "https://pads.example.org/p/", timeZone: "Europe/Paris" };

Deno.test("snapshot: taken anew when the state or the version moves, the same value otherwise", async () => {
  const store = { state: sampleState(), version: 1 };
  const snapshot = snapshots(store, SETTINGS);
  const a = snapshot();
  assert.equal(a.state, store.state);
  assert.equal(a.version, 1);
  assert.equal(snapshot(), a);
  store.version = 2;
  const b = snapshot();
  assert.notEqual(b, a);
  assert.equal(b.version, 2);
  assert.equal(a.version, 1, "a snapshot already taken does not change");
  store.state = sampleState();
  assert.equal(snapshot().state, store.state);
  assert.deepEqual(await a.history(), [], "no record: an empty one");
});

Deno.test("snapshot: the record comes from the store", async () => {
  const entries: HistoryEntry[] = [{ at: "2027-04-12T09:05:00Z", track: "nova", room: "", topic: "Quotas" }];
  const snap = snapshots(
    { state: sampleState(), version: 1, history: () => Promise.resolve(entries) },
    SETTINGS,
  )();
  assert.equal(await snap.history(), entries);
});

Deno.test("snapshot: ptg.json and the pages get the same extra fields", () => {
  const snap = snapshots({ state: sampleState(), version: 1 }, SETTINGS)();
  assert.deepEqual(servedExtras(snap), { etherpad_base: SETTINGS.etherpadBase, timezone: "Europe/Paris" });
  const json = JSON.parse(stateToJson(snap.state, false, servedExtras(snap)));
  const served = servedState(snap);
  assert.equal(served.etherpad_base, json.etherpad_base);
  assert.equal(served.timezone, json.timezone);
  assert.equal(served.eventid, json.eventid);
});
