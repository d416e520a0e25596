/**
 * The config: its public address (where every link the bot hands out points), its time zone, the IRC
 * login keys, and the warning for a secret others can read.
 */
import assert from "node:assert/strict";
import { exposedPassword, helpLink, linkBase, linkWarning, parseConfig } from "../../lib/app/config.ts";

const IRC = { irc_nick: "ptgbot", irc_server: "irc.example.org", irc_channel: "#e" };

/** A config and what its start warns about the links. */
function parsed(config: Record<string, unknown>) {
  const warnings: string[] = [];
  const parsedConfig = parseConfig(JSON.stringify(config), (w) => warnings.push(w));
  const unlinked = linkWarning(parsedConfig);
  if (unlinked) warnings.push(unlinked);
  return { config: parsedConfig, warnings };
}

Deno.test("config: links use the first HTTPS name, else public_url, never a bind address", () => {
  const https = parsed({ ...IRC, http_host: "0.0.0.0", https_domains: ["ptg.example.org", "b.example.org"] });
  assert.equal(helpLink(https.config), "https://ptg.example.org/ptg.html#help");
  assert.deepEqual(https.warnings, []);
  // Another HTTPS port is part of the address; the port actually listened on wins over a configured 0.
  const port = parsed({ https_domains: ["ptg.example.org"], https_port: 8443 }).config;
  assert.equal(linkBase(port).base, "https://ptg.example.org:8443");
  assert.equal(
    linkBase({ ...port, https: { ...port.https!, port: 0 } }, { https: 9443 }).base,
    "https://ptg.example.org:9443",
  );

  const proxied = parsed({ ...IRC, http_host: "::", public_url: "https://example.org/ptg/" });
  assert.equal(helpLink(proxied.config), "https://example.org/ptg/ptg.html#help");
  assert.deepEqual(proxied.warnings, []);
  // The sample's public_url stays harmless when HTTPS is turned on: the HTTPS name wins; help_url over both.
  const both =
    parsed({ https_domains: ["ptg.example.org"], public_url: "http://ptg.example.org:8000" }).config;
  assert.equal(helpLink(both), "https://ptg.example.org/ptg.html#help");
  assert.equal(
    helpLink({ ...both, helpUrl: "https://wiki.example.org/ptgbot" }),
    "https://wiki.example.org/ptgbot",
  );
});

Deno.test("config: with no public address, links use loopback for 0.0.0.0 or ::, and an IRC start warns", () => {
  for (
    const [host, link] of [
      ["0.0.0.0", "http://127.0.0.1:8000/ptg.html#help"],
      ["::", "http://[::1]:8000/ptg.html#help"],
      ["127.0.0.1", "http://127.0.0.1:8000/ptg.html#help"],
      ["192.0.2.7", "http://192.0.2.7:8000/ptg.html#help"],
    ]
  ) {
    const { config, warnings } = parsed({ ...IRC, http_host: host });
    assert.equal(helpLink(config), link, host);
    assert.equal(linkBase(config).public, false);
    assert.deepEqual(warnings, [
      `config: no "public_url" or "https_domains": \`help\` hands out ${link}, which only this machine can ` +
      `open; set "public_url" to the page's address`,
    ]);
  }
  assert.equal(
    helpLink(parsed({ http_host: "0.0.0.0" }).config, { http: 40123 }),
    "http://127.0.0.1:40123/ptg.html#help",
  );
  // The warning names the port listened on (a config may say 0).
  const any = parsed({ ...IRC, http_port: 0 }).config;
  assert.match(linkWarning(any, { http: 40123 })!, /hands out http:\/\/127\.0\.0\.1:40123\/ptg\.html#help,/);
  // Without IRC nobody is handed a link (the demo, the console): nothing to warn about.
  assert.deepEqual(parsed({ http_host: "0.0.0.0" }).warnings, []);
  assert.deepEqual(parsed({ ...IRC, help_url: "https://ptg.example.org/help" }).warnings, []);
});

Deno.test("config: a bad public_url is refused with one line", () => {
  for (
    const [value, reason] of [
      ["http://0.0.0.0:8000", /^config: bad value for "public_url": 0\.0\.0\.0 listens on every address/],
      ["http://[::]/", /^config: bad value for "public_url": \[::\] listens on every address/],
      ["ptg.example.org", /^config: bad value for "public_url": not an http\(s\) URL$/],
      ["https://ptg.example.org/?x=1", /^config: bad value for "public_url": no query or fragment/],
    ]
  ) {
    assert.throws(() => parsed({ public_url: value }), (e: Error) => {
      assert.match(e.message, reason as RegExp);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("config: timezone takes IANA names (Area/City, or UTC) only", () => {
  for (
    const zone of ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"]
  ) {
    assert.equal(parsed({ timezone: zone }).config.timeZone, zone);
  }
  for (
    const zone of ["PST", "CET", "EST5EDT", "GMT", "US/Pacific", "europe/berlin", "Europe/Nowhere", "+02:00"]
  ) {
    assert.throws(
      () => parsed({ timezone: zone }),
      new Error(
        'config: bad value for "timezone": not a time zone: give an IANA name (Area/City such as Europe/Berlin, or UTC)',
      ),
      zone,
    );
  }
});

Deno.test("config: a certificate, its key and the account reach the IRC settings; a key alone is refused", () => {
  const base = { irc_nick: "bot", irc_server: "irc.example.org", irc_channel: "#e" };
  const irc = parseConfig(
    JSON.stringify({ ...base, irc_cert_file: "/c.pem", irc_key_file: "/k.pem", irc_account: "acct" }),
  ).irc!;
  assert.deepEqual([irc.certFile, irc.keyFile, irc.account], ["/c.pem", "/k.pem", "acct"]);
  assert.throws(
    () => parseConfig(JSON.stringify({ ...base, irc_key_file: "/k.pem" })),
    /"irc_key_file" is the key of "irc_cert_file", which is missing/,
  );
  assert.throws(() => parseConfig(JSON.stringify({ ...base, irc_account: "has space" })), /irc_account/);
});

Deno.test("metrics_token: at least 16 printable characters; a config others can read that holds it is warned about", () => {
  assert.throws(
    () => parseConfig(JSON.stringify({ metrics_token: "short" })),
    /bad value for "metrics_token"/,
  );
  assert.throws(
    () => parseConfig(JSON.stringify({ metrics_token: "with a space 0123456789" })),
    /metrics_token/,
  );
  const config = parseConfig(JSON.stringify({ metrics_token: "s3cret-token-0123456789" }));
  assert.equal(config.metricsToken, "s3cret-token-0123456789");
  assert.match(
    exposedPassword(config, 0o100644)!,
    /holds metrics_token but other users may read it \(mode 644\)/,
  );
  assert.equal(exposedPassword(config, 0o100600), undefined);
});
