/** Which addresses a download may reach: classified as text, without a packet sent anywhere. */
import assert from "node:assert/strict";
import { addressProblem, isAllowed, isAllowEntry } from "../../lib/fetch/addresses.ts";

Deno.test("addresses: loopback, private, link-local, CGNAT, reserved, multicast and unspecified IPv4 are refused", () => {
  const cases: [string, string][] = [
    ["0.0.0.0", "an unspecified address"],
    ["0.1.2.3", "an unspecified address"],
    ["10.0.0.1", "a private address"],
    ["10.255.255.255", "a private address"],
    ["100.64.0.1", "a carrier-grade NAT address"],
    ["100.127.255.254", "a carrier-grade NAT address"],
    ["127.0.0.1", "a loopback address"],
    ["127.255.255.254", "a loopback address"],
    ["169.254.169.254", "a link-local address"],
    ["172.16.0.1", "a private address"],
    ["172.31.255.255", "a private address"],
    ["192.0.0.8", "a reserved address"],
    ["192.168.1.1", "a private address"],
    ["198.18.0.1", "a reserved address"],
    ["224.0.0.251", "a multicast address"],
    ["239.255.255.250", "a multicast address"],
    ["240.0.0.1", "a reserved address"],
    ["255.255.255.255", "a reserved address"],
  ];
  for (const [address, why] of cases) assert.equal(addressProblem(address), why, address);
});

Deno.test("addresses: public IPv4 just outside each refused range is allowed", () => {
  for (
    const address of [
      "1.1.1.1",
      "9.255.255.255",
      "11.0.0.0",
      "100.63.255.255",
      "100.128.0.0",
      "126.255.255.255",
      "128.0.0.0",
      "169.253.255.255",
      "169.255.0.0",
      "172.15.255.255",
      "172.32.0.0",
      "192.167.255.255",
      "192.169.0.0",
      "198.17.255.255",
      "198.20.0.0",
      "223.255.255.255",
    ]
  ) {
    assert.equal(addressProblem(address), undefined, address);
  }
});

Deno.test("addresses: IPv6 loopback, unique-local, site-local, link-local, multicast and IPv4 in IPv6", () => {
  const cases: [string, string | undefined][] = [
    ["::", "an unspecified address"],
    ["::1", "a loopback address"],
    ["[::1]", "a loopback address"],
    ["0:0:0:0:0:0:0:1", "a loopback address"],
    ["fc00::1", "a unique-local address"],
    ["fdff:ffff::1", "a unique-local address"],
    ["fec0::1", "a site-local address"],
    ["fe80::1%eth0", "a link-local address"],
    ["febf::1", "a link-local address"],
    ["ff02::1", "a multicast address"],
    ["::ffff:127.0.0.1", "a loopback address"],
    ["::ffff:7f00:1", "a loopback address"],
    ["[::ffff:a9fe:a9fe]", "a link-local address"],
    ["::ffff:10.1.2.3", "a private address"],
    ["::127.0.0.1", "a loopback address"],
    ["64:ff9b::169.254.169.254", "a link-local address"],
    ["2002:c0a8:0101::1", "a private address"],
    ["::ffff:8.8.8.8", undefined],
    ["2606:4700:4700::1111", undefined],
    ["2001:db8::1", undefined],
    ["2002:0808:0808::1", undefined],
  ];
  for (const [address, why] of cases) assert.equal(addressProblem(address), why, address);
});

Deno.test("addresses: numeric host tricks come out of the URL parser as plain addresses, and are refused", () => {
  for (
    const url of [
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0x7f.0.0.1/",
      "http://127.1/",
      "http://0177.0.0.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
      "http://[::1]:8080/",
      "http://0/",
    ]
  ) {
    const host = new URL(url).hostname;
    assert.ok(addressProblem(host), `${url} (${host}) was allowed`);
  }
});

Deno.test("addresses: text that is no address is refused; broken IPv6 forms too", () => {
  for (
    const text of [
      "localhost",
      "",
      "1.2.3",
      "1.2.3.256",
      "::1::",
      "1:2:3:4:5:6:7:8:9",
      "gggg::1",
      "::ffff:1.2.3",
    ]
  ) {
    assert.equal(addressProblem(text), "not an IP address", JSON.stringify(text));
  }
});

Deno.test("addresses: the allow-list takes host names, addresses and networks", () => {
  const allow = ["pastebin.internal", "127.0.0.1", "10.1.0.0/16", "fd00::/8"];
  assert.ok(isAllowed(allow, "pastebin.internal", "10.9.9.9"));
  assert.ok(isAllowed(allow, "PASTEBIN.internal", "10.9.9.9"));
  assert.ok(isAllowed(allow, "localhost", "127.0.0.1"));
  assert.ok(!isAllowed(allow, "localhost", "127.0.0.2"));
  assert.ok(isAllowed(allow, "wiki.lan", "10.1.200.3"));
  assert.ok(!isAllowed(allow, "wiki.lan", "10.2.0.1"));
  assert.ok(isAllowed(allow, "[fd12::1]", "fd12::1"));
  assert.ok(!isAllowed(allow, "[fe80::1]", "fe80::1"));
  assert.ok(!isAllowed([], "127.0.0.1", "127.0.0.1"));
  for (const good of ["a.example", "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "0.0.0.0/0"]) {
    assert.ok(isAllowEntry(good), good);
  }
  for (const bad of ["10.0.0.0/33", "fd00::/129", "a b", "http://x/", "10.0.0.0/8/8", "-bad.example"]) {
    assert.ok(!isAllowEntry(bad), bad);
  }
});
