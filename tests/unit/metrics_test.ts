/** Who may read /metrics, and the exposition's shape without a program around it. */
import assert from "node:assert/strict";
import parsePrometheus from "parse-prometheus-text-format";
import { isLoopback, metricsResponse } from "../../lib/web/metrics_endpoint.ts";
import { Metrics } from "../../lib/app/metrics.ts";
import { exposedPassword, parseConfig } from "../../lib/app/config.ts";

const tcp = (hostname: string): Deno.NetAddr => ({ transport: "tcp", hostname, port: 40000 });
const req = (auth?: string) =>
  new Request("http://x/metrics", { headers: auth ? { authorization: auth } : {} });
const body = () => "ptgbot_state_version 1\n";

Deno.test("metrics access: loopback addresses, and nothing else, count as this machine", () => {
  for (const h of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) assert.ok(isLoopback(tcp(h)), h);
  for (const h of ["10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "2001:db8::1", "0.0.0.0", "128.0.0.1"]) {
    assert.ok(!isLoopback(tcp(h)), h);
  }
  assert.ok(!isLoopback(undefined));
});

Deno.test("metrics access: without a token, loopback only; with one, the Bearer token from anyone", async () => {
  assert.equal(metricsResponse(req(), tcp("127.0.0.1"), undefined, body).status, 200);
  const far = metricsResponse(req(), tcp("203.0.113.9"), undefined, body);
  assert.equal(far.status, 403);
  assert.match(await far.text(), /^metrics: answered only on this machine/);
  assert.equal(metricsResponse(req(), undefined, undefined, body).status, 403);
  const token = "s3cret-token-0123456789";
  for (const auth of [undefined, "Bearer wrong-token-0123456789", `Basic ${token}`, `Bearer ${token}x`]) {
    const res = metricsResponse(req(auth), tcp("127.0.0.1"), token, body);
    assert.equal(res.status, 401, String(auth));
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="ptgbot metrics"');
  }
  const ok = metricsResponse(req(`Bearer ${token}`), tcp("203.0.113.9"), token, body);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), body());
});

Deno.test("metrics: label values are quoted so that the text still parses", () => {
  const m = new Metrics({ streams: () => 0, version: () => 7, now: () => new Date(0) });
  m.command('odd"kind\\with\nbreak', true);
  const families = parsePrometheus(m.exposition());
  const commands = families.find((f: { name: string }) => f.name === "ptgbot_commands_total");
  assert.deepEqual(commands?.metrics, [{ value: "1", labels: { command: 'odd"kind\\with\nbreak' } }]);
  // Without IRC or commits, those metrics are left out rather than shown as zero.
  const names = families.map((f: { name: string }) => f.name);
  assert.ok(
    !names.includes("ptgbot_irc_connected") && !names.includes("ptgbot_last_commit_timestamp_seconds"),
  );
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
