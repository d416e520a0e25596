/**
 * HTTPS end to end: the real program gets its certificate from pebble
 * (the http-01 challenge validated for real on its HTTP port), serves it
 * over h2 to curl and Chromium, renews it under load without a failed
 * request, and keeps serving when pebble is gone. Also the organiser's own
 * certificate files, and the first start without a reachable directory.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import puppeteer, { type Browser } from "puppeteer-core";
import { type Bot, runMain, startBot, withConfig } from "../helpers/process.ts";
import {
  CLOCK_FAKED,
  curl,
  DOMAIN,
  freePort,
  loadUntil,
  run,
  servedChain,
  startPebble,
} from "../helpers/pebble.ts";
import { testCertificate } from "../helpers/tls.ts";

async function spkiHash(cert: X509Certificate): Promise<string> {
  const der = cert.publicKey.export({ type: "spki", format: "der" });
  return btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(der)))),
  );
}

Deno.test({
  name:
    "https: a certificate from pebble, served over h2 to curl and Chromium, renewed under load, kept when pebble is down",
  // pebble (Go) reads the clock through the vDSO, past faketime: its certificates would be
  // expired or not yet valid on the faked clock. Certificate lifetimes are wall-clock time.
  ignore: CLOCK_FAKED,
}, async () => {
  const httpPort = freePort();
  const httpsPort = freePort();
  const pebbleDir = await Deno.makeTempDir({ prefix: "ptgbot-pebble-" });
  // Certificates live 10 s: renewal (at two thirds) comes about 6.7 s after each issue.
  const pebble = await startPebble(pebbleDir, httpPort, 10);
  let bot: Bot | undefined;
  const { dir, path } = await withConfig({
    http_port: httpPort,
    https_port: httpsPort,
    https_domains: [DOMAIN],
    acme_email: "organiser@example.org",
    acme_directory: pebble.directory,
    console: true,
  });
  let browser: Browser | undefined;
  try {
    const ca = `${dir}/root.pem`;
    await Deno.writeTextFile(ca, await pebble.root());
    bot = await startBot([path], dir, undefined, [], { DENO_CERT: pebble.tlsCert });
    const first = await bot.waitFor(/^https: certificate for ptgbot\.test \(serial (\w+)\)/);
    const serial1 = /serial (\w+)/.exec(first)![1];

    // Stored next to the KV file, for the owner only.
    assert.equal((await Deno.stat(`${dir}/s.kv.tls`)).mode! & 0o777, 0o700);
    for (const f of ["site.pem", "account.json"]) {
      assert.deepEqual((await Deno.stat(`${dir}/s.kv.tls/${f}`)).mode! & 0o777, 0o600, f);
    }
    // A verified chain, over h2.
    const seen = await curl(httpsPort, ca, ["--http2"], ["/ptg.html"]);
    assert.deepEqual(seen.out.trim(), "200 2 0", seen.err);
    // Plain HTTP: the challenge path answers (unknown token: 404), the rest redirects to the configured name.
    const plain = await fetch(`http://127.0.0.1:${httpPort}/ptg.html?day=1`, {
      redirect: "manual",
      headers: { host: "elsewhere.example" },
    });
    await plain.body?.cancel();
    assert.deepEqual(plain.status, 301);
    assert.deepEqual(plain.headers.get("location"), `https://${DOMAIN}:${httpsPort}/ptg.html?day=1`);
    const token = await fetch(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/nope`);
    await token.body?.cancel();
    assert.deepEqual(token.status, 404);

    // Chromium, trusting the issuer's key, opens the page over h2.
    const chain = await servedChain(httpsPort);
    assert(chain.length >= 2, "the chain includes the intermediate");
    browser = await puppeteer.launch({
      executablePath: Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium",
      headless: true,
      userDataDir: `${dir}/chromium`,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        `--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`,
        `--ignore-certificate-errors-spki-list=${await spkiHash(chain[1])}`,
      ],
    });
    const page = await browser.newPage();
    const res = await page.goto(`https://${DOMAIN}:${httpsPort}/ptg.html`, { waitUntil: "load" });
    assert.deepEqual(res?.status(), 200);
    assert.deepEqual(
      await page.evaluate(() =>
        (performance.getEntriesByType("navigation")[0] as unknown as { nextHopProtocol: string })
          .nextHopProtocol
      ),
      "h2",
    );
    assert.deepEqual(res?.securityDetails()?.subjectName(), DOMAIN);
    // A live stream of state versions, as the page keeps one, open across the switch below.
    await page.evaluate(() => {
      const g = globalThis as unknown as { versions: number[] };
      g.versions = [];
      new EventSource("/events").addEventListener("version", (e) => g.versions.push(Number(e.data)));
    });
    await page.waitForFunction(() => (globalThis as unknown as { versions: number[] }).versions.length > 0);

    // Renewal under load: every request answered while the listener changes.
    const renewed = bot.waitFor(/^https: certificate for ptgbot\.test \(serial (\w+)\)/, 20_000);
    const load = loadUntil(httpsPort, ca, renewed.then(() => new Promise((r) => setTimeout(r, 1500))));
    const serial2 = /serial (\w+)/.exec(await renewed)![1];
    const { ok, failed } = await load;
    assert(serial2 !== serial1, "a new certificate");
    assert.deepEqual(failed, [], bot.output.join("\n"));
    assert(ok > 40, `requests under load: ${ok}`);
    assert.deepEqual((await servedChain(httpsPort))[0].serialNumber, serial2);
    // The page's stream ended with the old listener and came back (its first message again), and a change
    // after the switch reaches it.
    await page.waitForFunction(() => (globalThis as unknown as { versions: number[] }).versions.length >= 2, {
      timeout: 5000,
    });
    const last = await page.evaluate(() =>
      Math.max(...(globalThis as unknown as { versions: number[] }).versions)
    );
    await bot.send("#nova now Live migration");
    await page.waitForFunction(
      (v: number) => (globalThis as unknown as { versions: number[] }).versions.some((x) => x > v),
      { timeout: 10_000 },
      last,
    );

    // pebble restarted (it forgets every account, and has a new root): the next renewal makes the account
    // again and gets a certificate.
    await pebble.restartPebble();
    const third = await bot.waitFor(/^https: certificate for ptgbot\.test \(serial (\w+)\)/, 20_000);
    const serial3 = /serial (\w+)/.exec(third)![1];
    assert(serial3 !== serial2, "a certificate from the restarted directory");
    assert.deepEqual((await servedChain(httpsPort))[0].serialNumber, serial3);

    // pebble gone: one line at the next renewal, and the site keeps its certificate.
    await pebble.stopPebble();
    const failure = await bot.waitFor(/^https: ACME at /, 20_000);
    assert.match(
      failure,
      /failed: .*; serving the current certificate \(valid until .*\); retrying in 60 s$/,
    );
    assert.deepEqual((await servedChain(httpsPort))[0].serialNumber, serial3);
    const still = await run("curl", [
      "-sS",
      "-k",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `https://127.0.0.1:${httpsPort}/ptg.json`,
    ]);
    assert.deepEqual(still.out, "200");
  } finally {
    await browser?.close();
    await bot?.stop();
    await pebble.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(pebbleDir, { recursive: true });
  }
});

Deno.test("https: the organiser's own certificate files, served over h2; plain HTTP redirects to the first domain", async () => {
  const certDir = await Deno.makeTempDir({ prefix: "ptgbot-cert-" });
  const ca = (await testCertificate(certDir, true))!;
  const httpsPort = freePort();
  const { dir, path } = await withConfig({
    https_port: httpsPort,
    https_domains: ["localhost.example"],
    https_cert_file: `${certDir}/cert.pem`,
    https_key_file: `${certDir}/key.pem`,
  });
  let bot: Bot | undefined;
  let successor: Bot | undefined;
  try {
    bot = await startBot([path], dir);
    await bot.waitFor(new RegExp(`^ptgbot: serving https://localhost\\.example:${httpsPort}/$`));
    const r = await run("curl", [
      "-sS",
      "--cacert",
      ca,
      "--http2",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{http_version} %{ssl_verify_result}",
      `https://localhost:${httpsPort}/ptg.json`,
    ]);
    assert.deepEqual(r.out, "200 2 0", r.err);
    const plain = await fetch(`http://127.0.0.1:${bot.port}/`, { redirect: "manual" });
    await plain.body?.cancel();
    assert.deepEqual(plain.status, 301);
    assert.deepEqual(plain.headers.get("location"), `https://localhost.example:${httpsPort}/`);
    // The process's own answers stay on the plain port (restarts ask /healthz there), and
    // /metrics tells when the served certificate expires.
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`, { redirect: "manual" });
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    const expiry = /^ptgbot_certificate_expiry_timestamp_seconds (\d+)$/m.exec(metrics);
    const endDate = await run("openssl", ["x509", "-noout", "-enddate", "-in", `${certDir}/cert.pem`]);
    assert.equal(Number(expiry?.[1]) * 1000, Date.parse(endDate.out.trim().replace(/^notAfter=/, "")));

    // A restart hands HTTPS over: the successor joins the port, the first one stops, HTTPS answers on.
    successor = await startBot([path], dir);
    await successor.waitFor(new RegExp(`^ptgbot: serving https://localhost\\.example:${httpsPort}/$`));
    assert.equal((await bot.stop()).code, 0);
    bot = undefined;
    const after = await run("curl", [
      "-sS",
      "--cacert",
      ca,
      "--http2",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{http_version}",
      `https://localhost:${httpsPort}/ptg.json`,
    ]);
    assert.deepEqual(after.out, "200 2", after.err);
  } finally {
    await bot?.stop();
    await successor?.stop();
    await Deno.remove(dir, { recursive: true });
  }

  // A key file that is not there: one line, and no start.
  const bad = await withConfig({
    https_port: freePort(),
    https_domains: ["localhost.example"],
    https_cert_file: `${certDir}/cert.pem`,
    https_key_file: `${certDir}/missing.pem`,
  });
  try {
    const out = await runMain([bad.path], bad.dir);
    assert.deepEqual(out.code, 2);
    assert.match(out.stderr.trim(), /^ptgbot: https: cannot serve .*cert\.pem: .*missing\.pem[^\n]*$/);
  } finally {
    await Deno.remove(bad.dir, { recursive: true });
    await Deno.remove(certDir, { recursive: true });
  }
});

Deno.test("https: a first start whose ACME directory cannot be reached serves plain HTTP and says why", async () => {
  const { dir, path } = await withConfig({
    https_port: freePort(),
    https_domains: [DOMAIN],
    acme_directory: `https://127.0.0.1:${freePort()}/dir`,
  });
  let bot: Bot | undefined;
  try {
    bot = await startBot([path], dir);
    const line = await bot.waitFor(/^https: /);
    assert.match(
      line,
      new RegExp(
        `^https: ACME at https://127\\.0\\.0\\.1:\\d+/dir failed: .+; serving plain HTTP only on port ${bot.port} until there is one; retrying in 60 s$`,
      ),
    );
    const res = await fetch(`http://127.0.0.1:${bot.port}/ptg.json`, { redirect: "manual" });
    assert.deepEqual(res.status, 200);
    assert.deepEqual((await res.json()).tracks.length > 0, true);
  } finally {
    await bot?.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "https: a certificate obtained while the HTTPS port is taken is kept, and served from the store after a restart",
  // pebble (Go) reads the clock through the vDSO, past faketime: its certificates would be
  // expired or not yet valid on the faked clock. Certificate lifetimes are wall-clock time.
  ignore: CLOCK_FAKED,
}, async () => {
  const httpPort = freePort();
  const pebbleDir = await Deno.makeTempDir({ prefix: "ptgbot-pebble-" });
  const pebble = await startPebble(pebbleDir, httpPort);
  // Another program holds the HTTPS port (without reusePort, so the bot cannot join it).
  const squatter = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const httpsPort = (squatter.addr as Deno.NetAddr).port;
  const { dir, path } = await withConfig({
    http_port: httpPort,
    https_port: httpsPort,
    https_domains: [DOMAIN],
    acme_directory: pebble.directory,
  });
  let bot: Bot | undefined;
  let squatting = true;
  try {
    bot = await startBot([path], dir, undefined, [], { DENO_CERT: pebble.tlsCert });
    const line = await bot.waitFor(/^https: /);
    assert.match(
      line,
      new RegExp(
        `^https: cannot serve the certificate \\(serial \\w+\\): .+; serving plain HTTP only on port ${httpPort} until there is one; retrying in 60 s$`,
      ),
    );
    const serial = /serial (\w+)/.exec(line)![1];
    const site = await fetch(`http://127.0.0.1:${httpPort}/ptg.json`, { redirect: "manual" });
    assert.equal(site.status, 200);
    await site.body?.cancel();
    await bot.stop();
    bot = undefined;

    // The port is free again; pebble is gone: the restart serves the stored certificate at once.
    squatter.close();
    squatting = false;
    await pebble.stopPebble();
    bot = await startBot([path], dir, undefined, [], { DENO_CERT: pebble.tlsCert });
    await bot.waitFor(new RegExp(`^ptgbot: serving https://${DOMAIN.replace(".", "\\.")}:${httpsPort}/$`));
    assert.equal((await servedChain(httpsPort))[0].serialNumber, serial);
  } finally {
    if (squatting) squatter.close();
    await bot?.stop();
    await pebble.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(pebbleDir, { recursive: true });
  }
});
