/**
 * Who may share the web port. The server listens with `reusePort` so that a
 * successor can take over without dropping a request, but the kernel would
 * let any process join the port, and an unrelated copy (another directory,
 * another KV file) would silently take half of the visitors. Before
 * listening, a starting process asks whoever serves the port on this machine
 * for its store's id (`/healthz`): the same id is a successor, and goes on; a
 * different one, or something that is not ptgbot, is refused unless the
 * operator says `--take-over`.
 *
 * @module
 */
import { errorText } from "../util/errors.ts";
import { unbracket } from "../util/ipv6_brackets.ts";

/** What answers on the port now. */
export type PortOwner =
  | { kind: "free" }
  | { kind: "ptgbot"; store?: string; pid?: number }
  | { kind: "other"; what: string };

/** The address to reach a listener on `host` from this machine. */
export function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** Asks whoever listens on host:port who they are (loopback for a wildcard address). */
export async function probePort(host: string, port: number, timeoutMs = 2000): Promise<PortOwner> {
  const hostname = probeHost(host);
  try {
    (await Deno.connect({ hostname: unbracket(hostname), port })).close();
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionRefused) return { kind: "free" };
    return { kind: "other", what: `something unreachable (${errorText(e)})` };
  }
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    let res: Response;
    try {
      res = await fetch(`http://${hostname}:${port}/healthz`, {
        client,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      return { kind: "other", what: `a server that does not answer HTTP (${errorText(e)})` };
    }
    const body = await res.text();
    if (res.status === 200) {
      try {
        const health = JSON.parse(body);
        if (health && typeof health === "object" && health.ok === true && "pid" in health) {
          return {
            kind: "ptgbot",
            store: typeof health.store === "string" ? health.store : undefined,
            pid: typeof health.pid === "number" ? health.pid : undefined,
          };
        }
      } catch { /* not JSON: not ptgbot */ }
    }
    if (res.status >= 300 && res.status < 400) {
      // A ptgbot must answer /healthz on its HTTP port itself (the restart scripts ask it there too).
      return { kind: "other", what: `a server that redirects /healthz to ${res.headers.get("location")}` };
    }
    return { kind: "other", what: `another web server (/healthz: ${res.status})` };
  } finally {
    client.close();
  }
}

/**
 * Whether this process may listen on the port: undefined when it may, else
 * the one line that says why not.
 */
export function refusal(
  owner: PortOwner,
  ownStore: string,
  where: string,
  takeOver: boolean,
): string | undefined {
  if (owner.kind === "free" || takeOver) return undefined;
  if (owner.kind === "ptgbot" && owner.store === ownStore) return undefined; // our successor's hand-over
  const who = owner.kind === "other"
    ? owner.what
    : `ptgbot process ${owner.pid ?? "?"} of ${
      owner.store ? "another event (another KV store)" : "an unknown store"
    }`;
  return `${where} is already served by ${who}; not starting (choose another http_port, stop that process, or give --take-over to replace it)`;
}

/** A start refused because the port is another's; its message is the one line to show. */
export class PortRefused extends Error {}

/** Throws PortRefused when host:port is served by anything but a process of the same store. */
export async function guardPort(
  host: string,
  port: number,
  ownStore: string,
  takeOver: boolean,
): Promise<void> {
  if (port === 0 || takeOver) return; // a fresh port of our own, or told to share whatever is there
  const where = `http://${probeHost(host)}:${port}/`;
  const problem = refusal(await probePort(host, port), ownStore, where, takeOver);
  if (problem) throw new PortRefused(problem);
}
