/** Commands through the engine plus a KV commit, and ptg.json rebuilds, on the large event. */
import { Runner } from "../lib/app/runner.ts";
import type { Speaker } from "../lib/engine/types.ts";
import { runLine } from "../lib/engine/engine.ts";
import { exportDocument, stateToJson } from "../lib/state/json.ts";
import { KvStore } from "../lib/storage/store.ts";
import { Representation } from "../lib/web/representation.ts";
import { largeState } from "./large_event.ts";

const dir = await Deno.makeTempDir({ prefix: "ptgbot-bench-" });
const store = await KvStore.open(`${dir}/bench.kv`);
await store.replace(largeState());
const runner = new Runner(
  store,
  { timeZone: "UTC", etherpadBase: "https://p/", helpUrl: "https://h/" },
  () => {
    throw new Error("no fetch in benchmarks");
  },
);
runner.clock = () => new Date("2027-04-12T10:30:00Z");
const who = (i: number): Speaker => ({
  id: `person${i % 5000}`,
  nick: `Person${i % 5000}`,
  place: "channel",
  op: true,
  voice: true,
});
const lines = (i: number) => {
  const t = `track-${String(i % 300).padStart(3, "0")}`;
  return [`#${t} now Topic number ${i}`, `#${t} next Next topic ${i}`, `+in #${t}`, `+out`][i % 4];
};
let i = 0;

Deno.bench({
  name: "command through engine + KV commit (large event)",
  group: "commands",
  baseline: true,
  async fn() {
    i++;
    await runner.run(who(i), lines(i));
  },
});

const state = largeState();
let j = 0;
Deno.bench({
  name: "command through the engine alone (large event)",
  group: "commands",
  fn() {
    j++;
    runLine(state, who(j), lines(j), {
      now: new Date("2027-04-12T10:30:00Z"),
      timeZone: "UTC",
      etherpadBase: "",
      helpUrl: "",
    });
  },
});

let k = 0;
Deno.bench({
  name: "ptg.json rebuilt after a command (large event)",
  group: "json",
  baseline: true,
  fn() {
    // A command replaces one check-in; the text is rebuilt around it.
    k++;
    state.last_check_in[`person${k % 5000}`] = {
      nick: `Person${k}`,
      location: "#track-001",
      in: "x",
      out: null,
    };
    stateToJson(state);
  },
});

Deno.bench({
  name: "ptg.json from scratch: export + JSON.stringify (large event)",
  group: "json",
  fn() {
    JSON.stringify(exportDocument(state, false));
  },
});

Deno.bench({
  name: "ptg.json rebuilt with bytes and ETag, as served (large event)",
  group: "json",
  fn() {
    new Representation("application/json", stateToJson(state, false, { etherpad_base: "https://p/" }));
  },
});

Deno.bench({
  name: "ptg.json gzip once per change (large event)",
  group: "json",
  async fn() {
    await new Representation("application/json", stateToJson(state)).coded("gzip");
  },
});

Deno.bench({
  name: "ptg.json brotli once per change (large event)",
  group: "json",
  async fn() {
    await new Representation("application/json", stateToJson(state)).coded("br");
  },
});

Deno.bench({
  name: "burst of 100 commands from 100 users, as IRC delivers them (group commit)",
  group: "burst",
  async fn(b) {
    const burst = Array.from({ length: 100 }, () => {
      i++;
      return [who(i), lines(i)] as const;
    });
    b.start();
    await Promise.all(burst.map(([w, l]) => runner.run(w, l)));
    b.end();
  },
});
