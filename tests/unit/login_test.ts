/** irc-framework's login options from the IRC settings: SASL PLAIN, EXTERNAL with a certificate, or none. */
import assert from "node:assert/strict";
import { loginOptions } from "../../lib/irc/login.ts";

Deno.test("loginOptions: a certificate means EXTERNAL and never a password over SASL", () => {
  const o = loginOptions({
    nick: "bot",
    password: "pw",
    certificate: { cert: "C", key: "K" },
  });
  assert.equal(o.sasl_mechanism, "EXTERNAL");
  assert.deepEqual(o.account, {});
  assert.deepEqual(o.client_certificate, { certificate: "C", private_key: "K" });
  assert.deepEqual(loginOptions({ nick: "bot", password: "pw" }).account, { account: "bot", password: "pw" });
  assert.deepEqual(loginOptions({ nick: "bot", account: "acct", password: "pw" }).account, {
    account: "acct",
    password: "pw",
  });
  assert.deepEqual(loginOptions({ nick: "bot" }).account, {});
});
