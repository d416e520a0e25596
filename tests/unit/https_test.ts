import assert from "node:assert/strict";
import { parseConfig } from "../../lib/app/config.ts";
import { plainHandler } from "../../lib/web/https.ts";
import { renewalTime, retryDelay, type SiteCertificate } from "../../lib/tls/certificates.ts";

const quiet = () => {};

Deno.test("config: https_domains turns HTTPS on with Let's Encrypt, port 443, and plain HTTP on 80", () => {
  const on = parseConfig(
    JSON.stringify({ https_domains: ["Event.Example.org"], acme_email: "a@example.org" }),
    quiet,
  );
  assert.deepEqual(on.https, {
    domains: ["event.example.org"],
    port: 443,
    email: "a@example.org",
    directory: "https://acme-v02.api.letsencrypt.org/directory",
    certFile: undefined,
    keyFile: undefined,
  });
  assert.equal(on.httpPort, 80);
  const off = parseConfig("{}", quiet);
  assert.equal(off.https, undefined);
  assert.equal(off.httpPort, 8000);
  assert.equal(
    parseConfig(JSON.stringify({ https_domains: ["a.example"], http_port: 8080 }), quiet).httpPort,
    8080,
  );
  const own = parseConfig(JSON.stringify({ https_cert_file: "c.pem", https_key_file: "k.pem" }), quiet);
  assert.deepEqual([own.https?.certFile, own.https?.keyFile, own.https?.domains], ["c.pem", "k.pem", []]);
});

Deno.test("config: bad HTTPS settings are refused with one line", () => {
  const refused = (config: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => parseConfig(JSON.stringify(config), quiet),
      (e: Error) => re.test(e.message) && !e.message.includes("\n"),
    );
  refused(
    { https_domains: ["not a name"] },
    /^config: bad value for "https_domains": must be a list of DNS names/,
  );
  refused({ https_domains: "a.example" }, /"https_domains"/);
  refused({ https_domains: ["a.example"], https_port: 70000 }, /"https_port"/);
  refused(
    { https_domains: ["a.example"], acme_directory: "ftp://x" },
    /"acme_directory": not an http\(s\) URL/,
  );
  refused({ https_domains: ["a.example"], acme_email: "nobody" }, /"acme_email"/);
  refused({ https_cert_file: "c.pem" }, /^config: "https_cert_file" and "https_key_file" go together$/);
  refused({ acme_email: "a@example.org" }, /^config: "acme_email" needs "https_domains"/);
});

Deno.test("https: plain HTTP answers ACME's challenge, redirects to the configured origin, or serves the site", async () => {
  const challenges = new Map([["tok-1", "tok-1.thumb"]]);
  const target: { origin?: string } = {};
  const handler = plainHandler(() => new Response("site"), challenges, () => target.origin);

  const answer = await handler(new Request("http://x/.well-known/acme-challenge/tok-1"));
  assert.equal(answer.status, 200);
  assert.equal(await answer.text(), "tok-1.thumb");
  const unknown = await handler(new Request("http://x/.well-known/acme-challenge/other"));
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();

  // No certificate yet: the site itself.
  assert.equal(await (await handler(new Request("http://x/ptg.html"))).text(), "site");

  target.origin = "https://event.example.org";
  const moved = await handler(
    new Request("http://evil.example/ptg.html?day=2", { headers: { host: "evil.example" } }),
  );
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.get("location"), "https://event.example.org/ptg.html?day=2");
  const post = await handler(new Request("http://x/a", { method: "POST" }));
  assert.equal(post.status, 308);
  // The challenge still answers once HTTPS is up (renewals).
  assert.equal((await handler(new Request("http://x/.well-known/acme-challenge/tok-1"))).status, 200);
});

Deno.test("certificates: renewal at two thirds of the validity; retries back off from 1 min to 1 h", () => {
  const c = { notBefore: new Date(0), notAfter: new Date(90 * 86_400_000) } as SiteCertificate;
  assert.equal(renewalTime(c), 60 * 86_400_000);
  assert.deepEqual([1, 2, 3, 7, 8, 20].map(retryDelay), [
    60_000,
    120_000,
    240_000,
    3_600_000,
    3_600_000,
    3_600_000,
  ]);
});
