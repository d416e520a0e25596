/** Who may read /metrics: loopback clients without a token, the Bearer token's holders with one. */
import assert from "node:assert/strict";
import { isLoopback, metricsResponse } from "../../lib/web/metrics_endpoint.ts";

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
