/** Server-sent events: every open page hears the new state version as soon as it exists. */

const encoder = new TextEncoder();
const PING = encoder.encode(": ping\n\n");

/** Holds the open `/events` streams and writes to all of them. */
export class EventHub {
  #clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #pingMs: number;
  readonly max: number;

  constructor(max = 20_000, pingMs = 20_000) {
    this.max = max;
    this.#pingMs = pingMs;
  }

  /** Proxies close idle connections; a comment now and then keeps every open stream open. */
  #keepAlive(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#send(PING), this.#pingMs);
    Deno.unrefTimer(Number(this.#timer));
  }

  get size(): number {
    return this.#clients.size;
  }

  /** A response streaming events, starting with the current version; 503 when full. */
  open(version: string): Response {
    if (this.#clients.size >= this.max) {
      return new Response("too many live connections; poll /ptg.json\n", {
        status: 503,
        headers: { "retry-after": "30", "content-type": "text/plain; charset=utf-8" },
      });
    }
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.#clients.add(controller);
        this.#keepAlive();
        controller.enqueue(encoder.encode(`retry: 2000\nevent: version\ndata: ${version}\n\n`));
      },
      cancel: () => {
        this.#clients.delete(self);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  }

  #send(bytes: Uint8Array): void {
    for (const c of this.#clients) {
      try {
        c.enqueue(bytes);
      } catch {
        this.#clients.delete(c);
      }
    }
  }

  /** Tells every page about a new version. */
  broadcast(version: string): void {
    this.#send(encoder.encode(`event: version\ndata: ${version}\n\n`));
  }

  /** Ends every stream, asking pages to reconnect (to whichever process serves then). */
  closeAll(): void {
    this.#send(encoder.encode("event: reconnect\ndata: bye\n\n"));
    for (const c of this.#clients) {
      try {
        c.close();
      } catch { /* already gone */ }
    }
    this.#clients.clear();
    // Streams opened after this (a draining process still answers) start the pings again.
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
