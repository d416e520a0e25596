/** The web app on a real socket: what only a real HTTP connection shows. */
import assert from "node:assert/strict";
import { serveWeb } from "../../lib/web/server.ts";
import { webApp as app } from "../helpers/fixtures.ts";

Deno.test("web: over real HTTP, keep-alive, many 304s in a row (one shared response object) and 200s in every coding", async () => {
  const a = app();
  const server = serveWeb(a.web, "127.0.0.1", 0);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const first = await fetch(`${base}/ptg.json`, { headers: { "accept-encoding": "gzip" } });
    const etag = first.headers.get("etag")!;
    const body = await first.text();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/ptg.json`, {
        headers: { "accept-encoding": "gzip", "if-none-match": etag },
      });
      assert.equal(res.status, 304);
      assert.equal(res.headers.get("etag"), etag);
      await res.body?.cancel();
    }
    for (const coding of ["br", "gzip", "identity"]) {
      const res = await fetch(`${base}/ptg.json`, { headers: { "accept-encoding": coding } });
      assert.equal(res.status, 200, coding);
      assert.equal(await res.text(), body, coding);
    }
  } finally {
    a.web.close();
    await server.shutdown();
  }
});
