/**
 * The store's identity: a random id created once in the KV file and kept
 * there, so that two processes can tell whether they serve the same event
 * (a successor during a hand-over) or different ones (another copy started
 * on the same port by mistake).
 *
 * @module
 */
import { retryLocked } from "./kv.ts";

const KEY: Deno.KvKey = ["ptgbot", "store_id"];

/** The store's id, created on first use; every process sharing the file reads the same one. */
export async function storeId(kv: Deno.Kv): Promise<string> {
  return await retryLocked(async () => {
    for (;;) {
      const found = await kv.get<string>(KEY);
      if (typeof found.value === "string") return found.value;
      const id = crypto.randomUUID();
      // Two processes creating it at once: the first write wins, the other reads it.
      const res = await kv.atomic().check(found).set(KEY, id).commit();
      if (res.ok) return id;
    }
  });
}
