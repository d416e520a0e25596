/**
 * The web app's own cost per request, in memory (no socket): `ptg.json` and a
 * page answered from the cache, a 304, and `ptg.json` after a change, on the
 * large event. The socket's share is in `serve_cost.ts`.
 */
import { createWebApp } from "../lib/web/server.ts";
import { snapshots } from "../lib/web/snapshot.ts";
import { largeState } from "./large_event.ts";

const state = largeState();
let version = 1;
const committed = {
  state,
  get version() {
    return version;
  },
};
const web = createWebApp(
  snapshots(committed, { etherpadBase: "https://etherpad.opendev.org/p/", timeZone: "UTC" }),
  { now: () => Date.parse("2027-04-12T10:30:00Z") },
);
const get = (path: string, headers: Record<string, string> = {}) =>
  web.handler(new Request(`http://localhost${path}`, { headers }));
const etag = (await get("/ptg.json")).headers.get("etag")!;
await get("/ptg.html");

Deno.bench("GET /ptg.json, cached", { group: "served", baseline: true }, async () => {
  await get("/ptg.json");
});
Deno.bench("GET /ptg.json, 304", { group: "served" }, async () => {
  await get("/ptg.json", { "if-none-match": etag });
});
Deno.bench("GET /ptg.html, cached", { group: "served" }, async () => {
  await get("/ptg.html");
});
Deno.bench("GET /ptg.json after a change (rebuilt)", { group: "rebuilt" }, async () => {
  version++;
  web.changed();
  await get("/ptg.json");
});
