/**
 * The HTTPS side of the web server, and what the plain HTTP port does once
 * HTTPS is on.
 *
 * `Deno.serve` cannot change a listener's certificate, so a new certificate
 * gets a new listener on the same port (`reusePort`); new connections are
 * steered to it (lib/web/reuseport.ts) and the old listener retires: its
 * live streams end with their reconnect hint and it shuts down gracefully,
 * finishing what it has. ALPN offers h2 and http/1.1.
 *
 * @module
 */
import { steerToThisProcess } from "./reuseport.ts";
import { SECURITY_HEADERS } from "./representation.ts";
import { requestFailed } from "./server.ts";

type Handler = (req: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/** How long a replaced listener keeps serving before it shuts down (see #retire). */
const RETIRE_GRACE_MS = 1000;
const CHALLENGE_PATH = "/.well-known/acme-challenge/";

/** One listener and the live streams it carries. */
interface Listener {
  server: Deno.HttpServer<Deno.NetAddr>;
  streams: Set<() => void>;
  /** A newer listener has the port: HTTP/1.1 clients are told to reconnect (there). */
  replaced: boolean;
  retiring: boolean;
}

/** Asks an HTTP/1.1 client to close after this response (h2 drops the header; GOAWAY does that job). */
function closing(res: Response): Response {
  // A 304 is one object shared by every answer (Representation.response): change a copy.
  const own = res.status === 304 ? res.clone() : res;
  own.headers.set("connection", "close");
  return own;
}

/** Lets a streaming body be ended from outside (the listener retiring). */
function endable(res: Response, streams: Set<() => void>, retiring: boolean): Response {
  if (!res.body || !res.headers.get("content-type")?.startsWith("text/event-stream")) return res;
  const reader = res.body.getReader();
  let done = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const end = () => {
    if (done) return;
    done = true;
    streams.delete(end);
    try {
      controller.close();
    } catch { /* already closed */ }
    void reader.cancel().catch(() => {});
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull(c) {
      const r = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      if (r.done) end();
      else c.enqueue(r.value);
    },
    cancel() {
      end();
    },
  });
  streams.add(end);
  // A stream opened on a retiring listener gets its first message, then ends: the page reconnects elsewhere.
  if (retiring) queueMicrotask(() => setTimeout(end, 100));
  return new Response(body, { status: res.status, headers: res.headers });
}

/** Serves a handler over TLS on one port, moving to a new certificate without dropping a request. */
export class HttpsListener {
  #current?: Listener;
  #port: number;

  constructor(
    private readonly handler: Handler,
    private readonly hostname: string,
    port: number,
    private readonly log: (line: string) => void,
  ) {
    this.#port = port;
  }

  /** Where it listens (after the first certificate). */
  get addr(): Deno.NetAddr | undefined {
    return this.#current?.server.addr;
  }

  /** Serves with this certificate from now on; the previous listener retires in the background. */
  async use(cert: string, key: string): Promise<void> {
    const listener: Listener = { server: undefined!, streams: new Set(), replaced: false, retiring: false };
    const finish = (res: Response) => {
      const r = endable(res, listener.streams, listener.retiring);
      return listener.replaced ? closing(r) : r;
    };
    const handle = (req: Request, info: Deno.ServeHandlerInfo): Response | Promise<Response> => {
      const res = this.handler(req, info);
      return res instanceof Response ? finish(res) : res.then(finish);
    };
    listener.server = Deno.serve({
      hostname: this.hostname,
      port: this.#port,
      cert,
      key,
      reusePort: true,
      onListen: () => {},
      onError: requestFailed,
    }, handle);
    this.#port = listener.server.addr.port;
    const unsteered = steerToThisProcess(this.#port);
    if (unsteered) this.log(`web: cannot steer port ${this.#port} to the new listener (${unsteered})`);
    const old = this.#current;
    this.#current = listener;
    if (old) await this.#retire(old, RETIRE_GRACE_MS);
  }

  async #retire(l: Listener, graceMs: number): Promise<void> {
    l.replaced = true;
    // Keep-alive clients reconnect between responses meanwhile (to the new listener), never in the middle
    // of one.
    // Connections the old listener accepted before the steering may still be in their TLS handshake, which
    // a shutdown would cut: they get a moment to become requests first.
    if (graceMs > 0) await new Promise((r) => setTimeout(r, graceMs));
    l.retiring = true;
    const shut = l.server.shutdown();
    for (const end of [...l.streams]) end();
    await shut;
  }

  /** Stops serving: live streams end, requests under way finish. */
  async shutdown(): Promise<void> {
    const l = this.#current;
    this.#current = undefined;
    if (l) await this.#retire(l, 0);
  }
}

/** The plain HTTP side with HTTPS on: ACME's challenge, else a redirect (or the site while there is no certificate). */
export function plainHandler(
  site: Handler,
  challenges: Map<string, string>,
  /** The HTTPS origin to redirect to, or undefined to serve the site itself. */
  redirect: () => string | undefined,
): Handler {
  return (req, info) => {
    const url = new URL(req.url);
    // The process's own answers stay on the port it was started on: restarts and the
    // port guard ask /healthz there, and a scraper on loopback asks /metrics.
    if (url.pathname === "/healthz" || url.pathname === "/metrics") return site(req, info);
    if (url.pathname.startsWith(CHALLENGE_PATH)) {
      const answer = challenges.get(url.pathname.slice(CHALLENGE_PATH.length));
      return new Response(answer ?? "not found\n", {
        status: answer ? 200 : 404,
        headers: { "content-type": answer ? "application/octet-stream" : "text/plain; charset=utf-8" },
      });
    }
    const origin = redirect();
    if (!origin) return site(req, info);
    return new Response(null, {
      status: req.method === "GET" || req.method === "HEAD" ? 301 : 308,
      headers: { ...SECURITY_HEADERS, location: `${origin}${url.pathname}${url.search}` },
    });
  };
}
