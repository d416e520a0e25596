/**
 * The IRC lease's hand-over (lib/storage/lease.ts) over a real KV file: the
 * holder steps aside for the named owner only after leaving IRC, nobody else
 * takes it meanwhile, and once the request is withdrawn anyone may again.
 */
import assert from "node:assert/strict";
import { Lease, requestHandOver, withdrawHandOver } from "../../lib/storage/lease.ts";

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const by = Date.now() + ms;
  while (!check()) {
    if (Date.now() > by) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("lease: a hand-over goes to the named owner only, after the holder has left IRC", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-lease-" });
  const kv = await Deno.openKv(`${dir}/s.kv`);
  const log: string[] = [];
  const lease = (owner: string) =>
    new Lease(kv, owner, {
      gained: () => log.push(`${owner} gained`),
      lost: async () => {
        log.push(`${owner} leaving`);
        await new Promise((r) => setTimeout(r, 100)); // QUIT takes a while
        log.push(`${owner} left`);
      },
    }, { ttlMs: 600, pollMs: 20 });
  const a = lease("h:1:a"), b = lease("h:2:b"), c = lease("h:3:c");
  try {
    a.start();
    await until(() => a.held);
    b.start();
    c.start();
    await requestHandOver(kv, "h:2:", Date.now() + 10_000);
    await until(() => b.held);
    assert.ok(!a.held && !c.held);
    assert.deepEqual(log.filter((l) => !l.startsWith("h:3")), [
      "h:1:a gained",
      "h:1:a leaving",
      "h:1:a left",
      "h:2:b gained",
    ]);
    // A hand-over to someone who never comes: the holder steps aside and nobody takes it.
    await requestHandOver(kv, "h:9:", Date.now() + 10_000);
    await until(() => !b.held);
    await new Promise((r) => setTimeout(r, 700)); // longer than the lease lasts
    assert.ok(!a.held && !b.held && !c.held);
    // Withdrawn: one of them leads again.
    await withdrawHandOver(kv);
    await until(() => a.held || b.held || c.held);
    assert.equal([a, b, c].filter((l) => l.held).length, 1);
  } finally {
    await Promise.all([a.release(), b.release(), c.release()]);
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
