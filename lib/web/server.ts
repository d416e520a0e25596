/**
 * The web side: routes, caching and live updates. `createWebApp` gives a
 * handler over the store's snapshots (`snapshot.ts`) that tests call in
 * memory, each representation built once per version into one
 * `VersionCache`; `serveWeb` puts it on a port with `reusePort`, so a new
 * process can share the port during a hand-over.
 */
import { stateToJson } from "../state/json.ts";
import { isTrackName } from "../state/validate.ts";
import { ASSETS } from "./assets.ts";
import { isPage } from "./pages.ts";
import { LivePages } from "./live_pages.ts";
import { EventHub } from "./events.ts";
import { historyRoutes } from "./history.ts";
import { Feeds } from "./feeds.ts";
import {
  matches,
  pickCoding,
  plainText,
  Representation,
  SECURITY_HEADERS,
  STATE_CACHE,
} from "./representation.ts";
import { servedExtras, type Snapshot } from "./snapshot.ts";
import { VersionCache } from "./version_cache.ts";
import { type Log, report } from "../util/boundary.ts";

export { SECURITY_HEADERS };

const CACHE = {
  json: STATE_CACHE,
};

/** What the program adds to the web side besides the snapshot. */
export interface WebOptions {
  /** The clock pages are rendered at (ms since the epoch); the system's by default. */
  now?: () => number;
  /** Extra facts for /healthz (process id, leadership). */
  health?: () => Record<string, unknown>;
  /** More paths the program answers (e.g. /metrics), given the client's address. */
  routes?: Record<string, (req: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>>;
  /** How many `/events` streams may be open at once. */
  maxStreams?: number;
  /** How many representations are kept (`VersionCache`). */
  cacheLimit?: number;
  /** Where a request's unexpected failure is reported (standard error by default). */
  log?: Log;
}

/** The handler and the hooks the program drives it with. */
export interface WebApp {
  /**
   * Answers synchronously, except for a feed (calendars, schedule.json:
   * their code loads on first use) and a compressed body not yet compressed
   * since the last change: those come as a promise.
   */
  handler(req: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response>;
  /** Call after every change of the state: rebuilds lazily and tells open pages. */
  changed(): void;
  readonly events: EventHub;
  /**
   * Before the process leaves: ends live streams with a reconnect hint and
   * answers every further request with `Connection: close`, so keep-alive
   * clients reconnect (to the new process) between responses, never in the
   * middle of one. Resolves once requests have stopped coming for `quietMs`
   * (or after `maxMs`).
   */
  drain(quietMs?: number, maxMs?: number): Promise<void>;
  /** Ends live streams (with a reconnect hint). */
  close(): void;
}

/** Serves a representation with ETag/304, content coding and caching headers. */
function respond(req: Request, rep: Representation): Response | Promise<Response> {
  const coding = pickCoding(req.headers.get("accept-encoding"), rep.body.length);
  if (matches(req.headers.get("if-none-match"), rep.etag)) return rep.response(coding, true);
  if (req.method === "HEAD") return new Response(null, { headers: rep.headers(coding, false) });
  return rep.response(coding, false);
}

/** The path of a request URL, without parsing all of it. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const q = url.indexOf("?", start);
  const h = url.indexOf("#", start);
  const end = Math.min(q < 0 ? url.length : q, h < 0 ? url.length : h);
  return url.slice(start, end);
}

/**
 * Builds the web app over the snapshots of the committed state: every route
 * serves what `snapshot()` gives at the time of the request.
 */
export function createWebApp(snapshot: () => Snapshot, opts: WebOptions = {}): WebApp {
  const events = new EventHub(opts.maxStreams);
  const cache = new VersionCache<Representation>(opts.cacheLimit);
  const pages = new LivePages(snapshot, cache, opts.now);
  const history = historyRoutes(snapshot, cache);

  const stateJson = () => {
    const snap = snapshot();
    return cache.take("/ptg.json", snap.version, () =>
      new Representation(
        "application/json; charset=utf-8",
        stateToJson(snap.state, false, servedExtras(snap)),
        CACHE.json,
      ));
  };
  const feeds = new Feeds(snapshot, cache);

  let draining = false;
  let lastRequest = 0;
  const route = (req: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return plainText(405, "method not allowed", { allow: "GET, HEAD" });
    }
    const path = pathOf(req.url);
    if (isPage(path)) return respond(req, pages.page(path));
    const asset = ASSETS[path];
    if (asset) return respond(req, asset);
    if (path === "/ptg.json") return respond(req, stateJson());
    if (path === "/tracks.css") return respond(req, pages.styles());
    const recorded = history(path);
    if (recorded) return recorded.then((rep) => (rep ? respond(req, rep) : plainText(404, "not found")));
    if (path === "/healthz") {
      return new Response(JSON.stringify({ ok: true, version: snapshot().version, ...opts.health?.() }), {
        headers: { ...SECURITY_HEADERS, "content-type": "application/json", "cache-control": "no-store" },
      });
    }
    if (path === "/events") return withSecurity(events.open(String(snapshot().version)));
    if (path === "/ptg.ics") {
      return feeds.allOrSet(req.url).then((rep) => rep instanceof Response ? rep : respond(req, rep));
    }
    if (path === "/schedule.json") return feeds.schedule().then((rep) => respond(req, rep));
    const m = /^\/([^/]+)\.ics$/.exec(path);
    if (m && isTrackName(m[1]) && snapshot().state.tracks.includes(m[1])) {
      return feeds.calendar([m[1]]).then((rep) => respond(req, rep));
    }
    const extra = opts.routes && Object.hasOwn(opts.routes, path) ? opts.routes[path] : undefined;
    if (extra) return extra(req, info);
    return plainText(404, "not found");
  };

  const closing = (res: Response) => {
    // A 304 is one object shared by every answer (Representation.response): change a copy.
    const own = res.status === 304 ? res.clone() : res;
    own.headers.set("connection", "close");
    return own;
  };
  const serve = (req: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response> => {
    if (!draining) return route(req, info);
    lastRequest = performance.now();
    const res = route(req, info);
    return res instanceof Response ? closing(res) : res.then(closing);
  };
  // The error boundary: a route that throws is reported with the request it failed on, and answered 500.
  const failed = (req: Request, e: unknown) => {
    report(`web: ${req.method} ${pathOf(req.url)}`, e, opts.log);
    return plainText(500, "internal error");
  };
  const handler = (req: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response> => {
    try {
      const res = serve(req, info);
      return res instanceof Response ? res : res.catch((e) => failed(req, e));
    } catch (e) {
      return failed(req, e);
    }
  };

  return {
    handler,
    changed: () => events.broadcast(String(snapshot().version)),
    events,
    async drain(quietMs = 300, maxMs = 3000) {
      draining = true;
      lastRequest = performance.now();
      events.closeAll();
      const until = performance.now() + maxMs;
      while (performance.now() < until && performance.now() - lastRequest < quietMs) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => events.closeAll(),
  };
}

function withSecurity(res: Response): Response {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

/**
 * What every listener answers when serving fails outside the app's own
 * boundary (a handler wrapped around it, such as HTTPS's): the error
 * reported, a plain 500 sent.
 */
export function requestFailed(e: unknown): Response {
  report("web: a request", e);
  return plainText(500, "internal error");
}

/** Serves the app on host:port with `reusePort` (binding is synchronous: errors throw here). */
export function serveWeb(
  app: WebApp,
  hostname: string,
  port: number,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname,
    port,
    reusePort: true,
    onListen: () => {},
    onError: requestFailed,
  }, app.handler);
}
