/** IPv6 literals unbracketed; names and IPv4 addresses untouched. */
import assert from "node:assert/strict";
import { unbracket } from "../../lib/util/ipv6_brackets.ts";

Deno.test("ipv6_brackets: strips the brackets of an IPv6 literal and leaves other hosts as they are", () => {
  assert.equal(unbracket("[::1]"), "::1");
  assert.equal(unbracket("[2001:db8::5]"), "2001:db8::5");
  assert.equal(unbracket("[::ffff:127.0.0.1]"), "::ffff:127.0.0.1");
  assert.equal(unbracket("[fe80::1%eth0]"), "fe80::1%eth0");
  assert.equal(unbracket("::1"), "::1");
  assert.equal(unbracket("127.0.0.1"), "127.0.0.1");
  assert.equal(unbracket("example.org"), "example.org");
  assert.equal(unbracket(""), "");
  // A URL's hostname keeps the brackets; a NetAddr's does not: both come out bare.
  assert.equal(unbracket(new URL("http://[::1]:8080/").hostname), "::1");
  // Only the outer pair: brackets inside are not a literal's and stay.
  assert.equal(unbracket("[a]b[c]"), "a]b[c");
  // One side alone is stripped too, as every caller did before this helper.
  assert.equal(unbracket("[::1"), "::1");
  assert.equal(unbracket("::1]"), "::1");
});
