/** The pure parts of logging in and account lookups: numeric parsing and irc-framework's login options. */
import assert from "node:assert/strict";
import { numericParams } from "../../lib/irc/accounts.ts";
import { loginOptions } from "../../lib/irc/login.ts";
import { parseConfig } from "../../lib/app/config.ts";

Deno.test("numericParams: middle and trailing parameters, tags, line ends", () => {
  assert.deepEqual(numericParams(":irc.x 354 bot 713 al :alice\r\n"), {
    numeric: "354",
    params: ["bot", "713", "al", "alice"],
  });
  assert.deepEqual(numericParams("@time=1 :irc.x 477 bot #ptg :You need to be identified"), {
    numeric: "477",
    params: ["bot", "#ptg", "You need to be identified"],
  });
  assert.deepEqual(numericParams(":irc.x 354 bot 713 al 0"), {
    numeric: "354",
    params: ["bot", "713", "al", "0"],
  });
  assert.equal(numericParams(":al!a@h PRIVMSG #ptg :354 713"), undefined);
  assert.equal(numericParams("PING :x"), undefined);
});

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
