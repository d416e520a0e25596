/** The runner: group commit, ordering, and one command's failure kept to that command. */
import assert from "node:assert/strict";
import { Runner } from "../../lib/app/runner.ts";
import { classifyLine } from "../../lib/engine/parse.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { ALICE, BOB, CTX, OP, sampleState, texts } from "../helpers/fixtures.ts";

async function setup() {
  const store = await KvStore.open();
  await store.replace(sampleState());
  const runner = new Runner(store, CTX, () => Promise.reject(new Error("no fetch")), () => {});
  runner.clock = () => CTX.now;
  return { store, runner };
}

Deno.test("runner: commands sent together are saved together, each seeing the ones before, answered in order", async () => {
  const { store, runner } = await setup();
  let commits = 0;
  runner.onChange(() => commits++);
  const lines = Array.from({ length: 30 }, (_, i) => `#nova next item ${i}`);
  const replies = await Promise.all(lines.map((l) => runner.run(ALICE, l)));
  // The 21st on finds the list full: each saw the ones before it.
  assert.deepEqual(
    replies.map((r) => texts(r)![0]),
    lines.map((_, i) =>
      i < 20
        ? `#nova next: item ${i}`
        : "#nova already has 20 upcoming topics; move on with #nova now or #nova clean"
    ),
  );
  assert.deepEqual(store.state.next.nova, lines.slice(0, 20).map((_, i) => `item ${i}`));
  assert.ok(commits < 30, `${commits} commits for 30 commands`);
  await store.close();
});

Deno.test("runner: a command that throws fails alone; the others and the state are fine", async () => {
  const { store, runner } = await setup();
  const tracks = store.state.tracks;
  // Fault injection: the track list breaks under one command.
  store.state.tracks = new Proxy(tracks, {
    get(target, key, receiver) {
      if (key === "includes") throw new Error("injected fault");
      return Reflect.get(target, key, receiver);
    },
  });
  const failing = runner.run(ALICE, "+in #nova");
  await assert.rejects(failing, /injected fault/);
  store.state.tracks = tracks;
  assert.deepEqual(texts(await runner.run(BOB, "+in the pub")), ["bob checked in to the pub"]);
  assert.deepEqual(texts(await runner.run(OP, "~list"))![0].slice(0, 7), "Tracks:");
  assert.equal(store.state.last_check_in.alice, undefined);
  await store.close();
});

Deno.test("runner: a line a transport read already is run as read, not read again", async () => {
  const { store, runner } = await setup();
  const read = classifyLine("+in the pub", "private");
  // Were the text read again, this would be a check-out.
  const replies = await runner.run({ ...BOB, place: "private" }, { ...read, text: "+out" });
  assert.deepEqual(texts(replies), ["bob checked in to the pub"]);
  assert.equal(await runner.run(BOB, classifyLine("just chatting", "channel")), undefined);
  await store.close();
});
