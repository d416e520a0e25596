/**
 * config.json.sample as shipped: copied into an empty directory with only
 * the servers' addresses changed (the IRC server is a local ngircd with a
 * certificate from a test CA, trusted as an organiser would with DENO_CERT;
 * the web port is a free one), it starts, serves the page, joins the
 * channel with TLS verified and answers there.
 */
import assert from "node:assert/strict";
import { startIrcServer, TestClient } from "../helpers/irc.ts";
import { startBot } from "../helpers/process.ts";
import { freePort } from "../helpers/irc.ts";
import { E2E } from "../helpers/e2e.ts";

const SAMPLE = new URL("../../config.json.sample", import.meta.url).pathname;

Deno.test({
  name: "sample config: config.json.sample starts as shipped, serves the page and answers on IRC",
  ...E2E,
  fn: async () => {
    const shipped = JSON.parse(await Deno.readTextFile(SAMPLE));
    const server = await startIrcServer({ tls: "ca" });
    const dir = await Deno.makeTempDir({ prefix: "ptgbot-sample-" });
    const changed = {
      irc_server: "localhost",
      irc_port: server.tlsPort,
      http_host: "127.0.0.1",
      http_port: freePort(),
    };
    await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...shipped, ...changed }));
    const channel: string = shipped.irc_channel;
    let alice: TestClient | undefined;
    const bot = await startBot(["config.json"], dir, undefined, [], { DENO_CERT: server.caFile! });
    try {
      // Nothing about the sample is worth a warning.
      assert.deepEqual(bot.output.filter((l) => /config:|cannot|warn/i.test(l)), []);
      await bot.waitFor(/irc: joined/, 20_000);
      alice = await TestClient.connect(server.port, "alice", channel);
      const since = alice.messages.length;
      await alice.say(channel, "+in #nova");
      const answer = await alice.next(shipped.irc_nick, since, 20_000, (m) => m.target === channel);
      // The sample starts with an empty store (no base): the bot answers that the track is unknown.
      assert.equal(answer.text, "alice: Unknown track #nova");
      const page = await fetch(`http://127.0.0.1:${bot.port}/`);
      assert.equal(page.status, 200);
      await page.body?.cancel();
      const doc = await (await fetch(`http://127.0.0.1:${bot.port}/ptg.json`)).json();
      assert.equal(doc.timezone, shipped.timezone);
      // The state lives where the sample says, next to the config.
      assert.ok((await Deno.stat(`${dir}/${shipped.kv_path}`)).isFile);
    } finally {
      alice?.close();
      assert.equal((await bot.stop()).code, 0);
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
