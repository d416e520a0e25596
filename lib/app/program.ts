/** Starting and stopping the whole program: store, runner, web server, console, IRC. */
import { stateToJson } from "../state/json.ts";
import { KvStore } from "../storage/store.ts";
import { createWebApp, serveWeb, type WebApp } from "../web/server.ts";
import { snapshots } from "../web/snapshot.ts";
import { steerToThisProcess } from "../web/reuseport.ts";
import { type Config, helpLink, linkWarning } from "./config.ts";
import { runConsole } from "./console.ts";
import { loadBase } from "./documents.ts";
import { fetchDocument } from "../fetch/fetch_document.ts";
import { PublicFile } from "./public_file.ts";
import { Runner } from "./runner.ts";
import { IrcBot } from "../irc/bot.ts";
import { Lease, ownerPrefix } from "../storage/lease.ts";
import { errorText } from "../util/errors.ts";
import { storeId } from "../storage/store_id.ts";
import { guardPort } from "./port_guard.ts";
import { Metrics } from "./metrics.ts";
import { metricsResponse } from "../web/metrics_endpoint.ts";
import type { HttpsSite } from "./https_site.ts";
import { Scheduler } from "./scheduler.ts";
import type { Notice } from "../state/reminders.ts";

/** A running program. */
export interface Program {
  runner: Runner;
  store: KvStore;
  web: WebApp;
  /** The IRC side, when the config names a server. */
  irc?: IrcBot;
  /** Who may be on IRC among the processes sharing the KV file. */
  lease?: Lease;
  /** Counters and gauges for /metrics and the status line. */
  metrics: Metrics;
  /** The address the web server listens on. */
  addr: Deno.NetAddr;
  /** HTTPS, when the config turns it on. */
  https?: HttpsSite;
  /** Resolves when the console input has ended (at once when there is no console). */
  consoleDone: Promise<void>;
  /** Stops gracefully: web streams, server, then the store. */
  stop(): Promise<void>;
}

/**
 * Loading the state leaves its garbage in a heap grown to hold it; one full
 * collection now gives those pages back instead of whenever V8 next finds
 * the process idle. `gc` exists when the
 * process runs with the launch settings (`--expose-gc`, lib/app/launch.ts).
 */
function compactHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Starts everything the config asks for. */
export async function startProgram(
  config: Config,
  io: {
    input?: ReadableStream<Uint8Array>;
    print?: (line: string) => void;
    log?: (line: string) => void;
    /** A store already being opened (main opens it while the rest of the program loads). */
    store?: Promise<KvStore>;
    /** The clock; the system's by default. */
    now?: () => Date;
    /** Share the web port even with a process of another store (`--take-over`). */
    takeOver?: boolean;
  } = {},
): Promise<Program> {
  const store = await (io.store ?? KvStore.open(config.kvPath));
  const id = await storeId(store.kv);
  try {
    await guardPort(config.httpHost, config.httpPort, id, io.takeOver ?? false);
  } catch (e) {
    await store.close();
    throw e;
  }
  if (store.isNew) await loadBase(store, config, io.now?.() ?? new Date());
  const log = io.log ?? ((line: string) => console.log(line));
  const runner = new Runner(
    store,
    {
      timeZone: config.timeZone,
      etherpadBase: config.etherpadBase,
      // Read for every line: the ports are known once listening (a config may say 0).
      get helpUrl() {
        return helpLink(config, { http: server.addr.port, https: https?.addr()?.port });
      },
    },
    (url) => fetchDocument(url, { allow: config.fetchAllow, timeZone: config.timeZone }),
    log,
  );
  if (io.now) runner.clock = io.now;
  let lease: Lease | undefined;
  const irc = config.irc ? new IrcBot(runner, config.irc, log) : undefined;
  const metrics = new Metrics({
    irc: irc && (() => irc.health),
    leaseHeld: irc && (() => lease?.held ?? false),
    // The owner string ends with a random id that only keeps owners apart.
    leaseHolder: irc && (() => lease?.holder?.replace(/:[0-9a-f-]{36}$/, "")),
    streams: () => web.events.size,
    version: () => store.version,
    now: io.now ?? (() => new Date()),
    certificateExpiry: () => https?.certificate()?.notAfter,
  });
  runner.observer = metrics;
  /** For /healthz: off (no IRC configured), standby (another process leads), connecting, or joined. */
  const ircState = () => !irc ? "off" : !lease?.held ? "standby" : irc.joined ? "joined" : "connecting";
  const web = createWebApp(snapshots(store, config), {
    now: io.now ? () => io.now!().getTime() : undefined,
    health: () => ({ pid: Deno.pid, store: id, leader: lease?.held ?? false, irc: ircState() }),
    routes: {
      "/metrics": (req, info) =>
        metricsResponse(req, info?.remoteAddr, config.metricsToken, () => metrics.exposition()),
    },
  });
  runner.onChange(() => web.changed());
  if (config.dbFilename) {
    const file = new PublicFile(config.dbFilename, () => stateToJson(store.state));
    runner.onChange(() => file.update());
    await file.update();
  }
  const https = config.https
    ? (await import("./https_site.ts")).httpsSite(
      web.handler,
      config.https,
      config.httpHost,
      config.kvPath,
      log,
    )
    : undefined;
  const server = serveWeb(https ? { ...web, handler: https.plain } : web, config.httpHost, config.httpPort);
  const unlinked = linkWarning(config, { http: server.addr.port });
  if (unlinked) log(unlinked);
  // New connections come here from now on; an older process on the port only
  // finishes what it has, so its stop cannot cut a fresh connection.
  const unsteered = steerToThisProcess(server.addr.port);
  if (unsteered) {
    log(`web: cannot steer the port to this process (${unsteered}); a hand-over may reset a connection`);
  }
  try {
    await https?.start(() => server.addr.port);
  } catch (e) {
    await server.shutdown();
    await store.close();
    const what = config.https?.certFile ?? `port ${config.https?.port}`;
    throw new Error(`https: cannot serve ${what}: ${errorText(e)}`);
  }
  // Reminders to followers: acted on only by the process on IRC (see scheduler.ts).
  const pace = config.irc ? Math.ceil(2000 / config.irc.sendIntervalMs) + config.irc.sendBurst : 0;
  const scheduler = irc && new Scheduler({
    kv: store.kv,
    state: () => store.state,
    now: io.now ?? (() => new Date()),
    settings: { reminderMinutes: config.reminderMinutes, timeZone: config.timeZone },
    announce: config.announceStarts,
    canSend: () => (lease?.held ?? false) && irc.joined,
    leaseCheck: () => lease?.heldCheck() ?? Promise.resolve(undefined),
    send: (notices, lines) => {
      // Tagged with themselves, so that the send queue can give back those it has not sent.
      irc.notify(notices.map((n) => ({ ...n, tag: n })));
      irc.announce(lines);
    },
    // Only the scheduler tags notices.
    takeBack: () => irc.takeBack() as Notice[],
    // Notices keep the send queue busy for about two ticks and no more, so an answer queued behind
    // them waits two seconds at most, whatever the pace.
    room: () => pace - irc.health.queued,
    sent: (kind, late) => metrics.reminder(kind, late),
    log,
  });
  scheduler?.start();
  if (irc) {
    // Only one process sharing this KV file may be on IRC: the lease holder.
    lease = new Lease(store.kv, `${ownerPrefix(Deno.pid)}${crypto.randomUUID()}`, {
      gained: () => {
        log("lease: this process leads; connecting to IRC");
        scheduler?.unpark();
        irc.start();
      },
      lost: async () => {
        log("lease: another process leads now; leaving IRC");
        // Before leaving IRC and giving the lease up: the next leader finds the notices not sent.
        await scheduler?.park();
        await irc.stop("another ptgbot process took over");
      },
    }, { ttlMs: config.leaseMs });
    lease.start();
  }
  // Another process may commit to the same file (during a hand-over): follow it.
  const following = store.follow(() => runner.changed(), log);
  const print = io.print ?? ((line: string) => console.log(line));
  const consoleDone = config.console && io.input
    ? runConsole(runner, io.input, print, {
      status: () => metrics.status(),
    })
    : Promise.resolve();
  compactHeap();
  let stopped: Promise<void> | undefined;
  return {
    runner,
    store,
    web,
    irc,
    lease,
    metrics,
    addr: server.addr,
    https,
    consoleDone,
    stop() {
      stopped ??= (async () => {
        await Promise.all([
          (async () => {
            await web.drain();
            await Promise.all([server.shutdown(), https?.stop()]);
          })(),
          (async () => {
            // Parks first, while the lease is held: the notices not sent are in KV before it is given up.
            await scheduler?.stop();
            await irc?.stop("ptgbot is restarting or stopping; back soon");
            await lease?.release();
          })(),
        ]);
        await following.stop();
        await runner.idle();
        await store.close();
      })();
      return stopped;
    },
  };
}
