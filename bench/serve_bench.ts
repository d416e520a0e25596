/**
 * The web app's own cost per request, in memory (no socket): `ptg.json` and a
 * page answered from the cache, a 304, and `ptg.json` after a change, on the
 * large event. The socket's share is in `serve_cost.ts`.
 */
import { webApp } from "../tests/helpers/fixtures.ts";
import { largeState } from "./large_event.ts";

const app = webApp(largeState(), new Date("2027-04-12T10:30:00Z"));
const get = (path: string, headers: Record<string, string> = {}) => app.get(path, headers);
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
  app.bump();
  await get("/ptg.json");
});
