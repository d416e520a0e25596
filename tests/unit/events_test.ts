/** The live-update hub: versions, keep-alive pings, and ending streams with a reconnect hint. */
import assert from "node:assert/strict";
import { EventHub } from "../../lib/web/events.ts";

/** Reads a stream until `want` appears in what came, or `ms` pass; returns what came. */
async function readUntil(res: Response, want: string, ms: number): Promise<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = performance.now() + ms;
  try {
    while (!text.includes(want) && performance.now() < deadline) {
      const left = deadline - performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), left)),
      ]);
      clearTimeout(timer);
      if (!chunk || chunk.done) break;
      text += dec.decode(chunk.value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

Deno.test("events: a stream starts with the version, hears broadcasts and pings", async () => {
  const hub = new EventHub(10, 30);
  const res = hub.open("7");
  hub.broadcast("8");
  const text = await readUntil(res, ": ping", 1000);
  assert.match(text, /^retry: 2000\nevent: version\ndata: 7\n\n/);
  assert.ok(text.includes("event: version\ndata: 8\n\n"));
  assert.ok(text.includes(": ping\n\n"), text);
  hub.closeAll();
});

Deno.test("events: streams opened after closeAll still get keep-alive pings", async () => {
  const hub = new EventHub(10, 30);
  const first = hub.open("1");
  hub.closeAll();
  assert.match(await readUntil(first, "bye", 500), /event: reconnect\ndata: bye\n\n$/);
  const later = hub.open("1");
  const text = await readUntil(later, ": ping", 1000);
  assert.ok(text.includes(": ping\n\n"), `no ping after closeAll: ${JSON.stringify(text)}`);
  hub.closeAll();
});

Deno.test("events: beyond the cap a client is told to poll", async () => {
  const hub = new EventHub(1, 1000);
  const ok = hub.open("1");
  const full = hub.open("1");
  assert.equal(full.status, 503);
  assert.equal(full.headers.get("retry-after"), "30");
  await full.body?.cancel();
  await ok.body?.cancel();
  assert.equal(hub.size, 0);
  hub.closeAll();
});
