/**
 * Let's Encrypt's test directory on loopback: `pebble` with
 * `pebble-challtestsrv` as its DNS (every name resolves to 127.0.0.1), so
 * it validates the http-01 challenge for real against the bot's HTTP port.
 */
import { X509Certificate } from "node:crypto";
import { freePort } from "./irc.ts";
import { testCertificate } from "./tls.ts";

export { freePort };

/** The name the tests give the site (challtestsrv resolves it to 127.0.0.1). */
export const DOMAIN = "ptgbot.test";
const dec = new TextDecoder();

/** Runs a command to its end. */
export async function run(cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" }).output();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** curl over HTTPS to DOMAIN on loopback, trusting `ca`: a line "CODE VERSION VERIFY" per path. */
export function curl(port: number, ca: string, extra: string[], paths: string[]) {
  return run("curl", [
    "-sS",
    "--cacert",
    ca,
    "--resolve",
    `${DOMAIN}:${port}:127.0.0.1`,
    "-w",
    "%{http_code} %{http_version} %{ssl_verify_result}\\n",
    ...extra,
    ...paths.flatMap((p) => ["-o", "/dev/null", `https://${DOMAIN}:${port}${p}`]),
  ]);
}

/** The chain the server on `port` presents (openssl s_client), the site's certificate first. */
export async function servedChain(port: number): Promise<X509Certificate[]> {
  const r = await run("openssl", [
    "s_client",
    "-connect",
    `127.0.0.1:${port}`,
    "-servername",
    DOMAIN,
    "-showcerts",
  ]);
  const pems = r.out.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  return pems.map((p) => new X509Certificate(p));
}

/**
 * Requests `/ptg.json` until `stop` resolves, from three curl loops in
 * batches of 20, 4 at once: h2, HTTP/1.1 keeping connections alive, and
 * HTTP/1.1 with a new connection for every request. Counts the answers that
 * were not 200, and curl's errors.
 */
export async function loadUntil(port: number, ca: string, stop: Promise<unknown>) {
  let running = true;
  void stop.then(() => running = false);
  const results = { ok: 0, failed: [] as string[] };
  const loop = async (extra: string[]) => {
    while (running) {
      const r = await curl(
        port,
        ca,
        ["--parallel", "--parallel-max", "4", ...extra],
        Array(20).fill("/ptg.json"),
      );
      for (const line of r.out.trim().split("\n")) {
        if (line.startsWith("200 ")) results.ok++;
        else results.failed.push(line);
      }
      if (r.code !== 0) results.failed.push(`curl exit ${r.code}: ${r.err.trim()}`);
    }
  };
  await Promise.all([loop(["--http2"]), loop(["--http1.1"]), loop(["--http1.1", "-H", "connection: close"])]);
  return results;
}

/** A running pebble. */
export interface Pebble {
  /** The ACME directory URL. */
  directory: string;
  /** The CA of pebble's own TLS certificate (give it to the bot as DENO_CERT). */
  tlsCert: string;
  /** The root that issues the site certificates (PEM), from the management endpoint. */
  root(): Promise<string>;
  /** Stops pebble alone (its DNS stays up), to see the bot survive it. */
  stopPebble(): Promise<void>;
  /** Stops pebble and starts it again on the same ports: it forgets every account (and has a new root). */
  restartPebble(): Promise<void>;
  stop(): Promise<void>;
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up`);
}

/**
 * Starts challtestsrv and pebble in `dir`. `httpPort` is where pebble
 * validates http-01; `validity` is its certificates' lifetime in seconds.
 */
export async function startPebble(dir: string, httpPort: number, validity = 3600): Promise<Pebble> {
  const ca = (await testCertificate(dir, true))!;
  const [dns, acme, management] = [freePort(), freePort(), freePort()];
  const config = `${dir}/pebble.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acme}`,
        managementListenAddress: `127.0.0.1:${management}`,
        certificate: `${dir}/cert.pem`,
        privateKey: `${dir}/key.pem`,
        httpPort,
        tlsPort: freePort(),
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
        certificateValidityPeriod: validity,
      },
    }),
  );
  const quiet = { stdout: "null", stderr: "null" } as const;
  const challtest = new Deno.Command("pebble-challtestsrv", {
    args: [
      "-defaultIPv4",
      "127.0.0.1",
      "-defaultIPv6",
      "",
      "-dns01",
      `127.0.0.1:${dns}`,
      "-http01",
      "",
      "-https01",
      "",
      "-tlsalpn01",
      "",
      "-management",
      `127.0.0.1:${freePort()}`,
    ],
    ...quiet,
  }).spawn();
  const spawnPebble = () =>
    new Deno.Command("pebble", {
      args: ["-config", config, "-dnsserver", `127.0.0.1:${dns}`],
      env: { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
      ...quiet,
    }).spawn();
  let pebble = spawnPebble();
  const tlsCert = ca;
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(tlsCert)] });
  const directory = `https://127.0.0.1:${acme}/dir`;
  let pebbleUp = true;
  const stopPebble = async () => {
    if (!pebbleUp) return;
    pebbleUp = false;
    try {
      pebble.kill("SIGTERM");
    } catch { /* gone */ }
    await pebble.status;
  };
  const stop = async () => {
    await stopPebble();
    try {
      challtest.kill("SIGTERM");
    } catch { /* gone */ }
    await challtest.status;
    client.close();
  };
  const up = () =>
    until("pebble", async () => {
      const res = await fetch(directory, { client });
      await res.body?.cancel();
      return res.ok;
    });
  try {
    await up();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    directory,
    tlsCert,
    async root() {
      const res = await fetch(`https://127.0.0.1:${management}/roots/0`, { client });
      if (!res.ok) throw new Error(`pebble /roots/0: ${res.status}`);
      return await res.text();
    },
    stopPebble,
    async restartPebble() {
      await stopPebble();
      pebble = spawnPebble();
      pebbleUp = true;
      await up();
    },
    stop,
  };
}

/** Pebble cannot share a faked clock: the tests of certificates it issues run only on the real one. */
export { CLOCK_FAKED } from "./e2e.ts";
