/** The event's record at its limit (20,000 entries) on the large event: a start, its first read, its page. */
import type { HistoryEntry } from "../lib/state/history.ts";
import { KvStore } from "../lib/storage/store.ts";
import { historyBody, historyJson } from "../lib/web/history.ts";
import { largeState } from "./large_event.ts";

const dir = await Deno.makeTempDir({ prefix: "ptgbot-bench-" });
const path = `${dir}/history.kv`;
const FULL = 20_000;
{
  const store = await KvStore.open(path);
  await store.replace(largeState());
  for (let b = 0; b < FULL / 50; b++) {
    const changes = Array.from({ length: 50 }, (_, i) => ({
      op: "record" as const,
      entry: {
        at: new Date(Date.UTC(2027, 3, 12, 7) + (b * 50 + i) * 60_000).toISOString(),
        track: `track-${String((b * 50 + i) % 300).padStart(3, "0")}`,
        room: `Room ${(b + i) % 60}`,
        topic: `Topic number ${b * 50 + i}: what the team discusses in this slot, in a few words`,
      } satisfies HistoryEntry,
    }));
    await store.commitState(changes, "2027-04-12 10:00:00", store.state);
  }
  await store.close();
}
const store = await KvStore.open(path);
const entries = await store.history();
const state = store.state;
if (entries.length !== FULL) throw new Error(`the record has ${entries.length} entries`);

Deno.bench({
  name: "open the store (large event, 20,000-entry record not read)",
  group: "history",
  async fn() {
    const s = await KvStore.open(path);
    await s.close();
  },
});

Deno.bench({
  name: "first read of the 20,000-entry record",
  group: "history",
  async fn() {
    const s = await KvStore.open(path);
    await s.history();
    await s.close();
  },
});

Deno.bench({
  name: "/history.html body for 20,000 entries",
  group: "history",
  fn() {
    historyBody(state, "Europe/Paris", entries);
  },
});

Deno.bench({
  name: "/history.json for 20,000 entries",
  group: "history",
  fn() {
    historyJson(state, "Europe/Paris", entries);
  },
});
