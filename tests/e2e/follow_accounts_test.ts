/**
 * A follow with `require_account` (InspIRCd + Atheme, the account
 * extensions on): it belongs to the account, so it follows its owner across
 * a nick change, and once the owner is gone it never reaches whoever holds
 * a nick of the account's name.
 */
import assert from "node:assert/strict";
import { ask, CHANNEL, startIrcBot, TestClient } from "../helpers/irc.ts";
import { startServices } from "../helpers/services.ts";
import { E2E } from "../helpers/e2e.ts";

Deno.test({
  name: "follow with accounts: survives a nick change, never passes to the account's namesake",
  ...E2E,
  fn: async () => {
    const s = await startServices();
    await Promise.all([
      s.register("ptgbot", "bot-pw-31"),
      s.register("alice", "alice-pw"),
      s.register("mod", "mod-pw-7"),
    ]);
    const logs: string[] = [];
    const program = await startIrcBot(s.port, logs, { require_account: true, irc_pass: "bot-pw-31" });
    const alice = await s.identified("alice", "alice-pw", "al", CHANNEL);
    const mod = await s.identified("mod", "mod-pw-7", "mod", CHANNEL);
    let mallory: TestClient | undefined;
    const nowNotice = (c: TestClient, topic: string) =>
      c.messages.some((m) => m.target === c.nick && m.text === `#nova now ${topic} (you follow #nova)`);
    try {
      assert.match(await ask(alice, CHANNEL, "+follow #nova"), /^al: Following #nova:/);
      assert.equal(program.store.state.follows.alice?.join(), "nova", "kept under the account");
      await alice.send("NICK al2");
      alice.nick = "al2";
      await alice.until(() => alice.raw.some((l) => / NICK :?al2/.test(l)));
      assert.equal(await ask(mod, CHANNEL, "#nova now Placement"), "mod: #nova now: Placement");
      await alice.until(() => nowNotice(alice, "Placement"));
      alice.close();
      // Someone else, not logged in, under the account's name.
      mallory = await TestClient.connect(s.serverPort, "alice", CHANNEL);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await ask(mod, CHANNEL, "#nova now Quotas"), "mod: #nova now: Quotas");
      await new Promise((r) => setTimeout(r, 2000));
      // Services greet a registered nick with notices of their own: only the bot's lines count.
      assert.ok(
        !mallory.messages.some((m) => m.target === "alice" && /^ptgbot/.test(m.from)),
        "the namesake heard nothing from the bot",
      );
    } finally {
      alice.close();
      mod.close();
      mallory?.close();
      await program.stop();
      await s.stop();
    }
  },
});
