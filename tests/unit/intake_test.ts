/**
 * The intake on its own, with a stand-in client and runner: a PRIVMSG is
 * cleaned of formatting and read once, chatter never reaches the runner,
 * the runner gets the line as read (not text to read again) with the
 * speaker's place and modes, and the answers go out through the send queue
 * addressed as IRC expects; a runner that throws gets the apology.
 */
import assert from "node:assert/strict";
import type { Classified } from "../../lib/engine/parse.ts";
import type { Reply, Speaker } from "../../lib/engine/types.ts";
import { ChannelState } from "../../lib/irc/channel_state.ts";
import type { IrcClient } from "../../lib/irc/client_types.ts";
import { Intake } from "../../lib/irc/intake.ts";
import { SendQueue } from "../../lib/irc/send_queue.ts";
import type { IrcSettings } from "../../lib/irc/settings.ts";

const SETTINGS: IrcSettings = {
  nick: "ptgbot",
  fallbackNick: "ptgbot_",
  server: "127.0.0.1",
  port: 6667,
  tls: false,
  channel: "#Event",
  requireAccount: false,
  sendBurst: 100,
  sendIntervalMs: 1,
  userBurst: 100,
  userIntervalMs: 1,
  pingIntervalS: 30,
  pingTimeoutS: 30,
};

function setup(answer: (who: Speaker, line: Classified) => Reply[] | undefined) {
  const sent: string[] = [];
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  const queue = new SendQueue((command, target, text) => sent.push(`${command} ${target} :${text}`), {
    burst: 100,
    intervalMs: 1,
    log,
  });
  queue.resume();
  const client = { user: { nick: "ptgbot" } } as IrcClient;
  const members = new ChannelState();
  members.join("alice", ["o"]);
  const runs: { who: Speaker; line: string | Classified }[] = [];
  const runner = {
    run(who: Speaker, line: string | Classified) {
      runs.push({ who, line });
      if (typeof line === "string") return Promise.reject(new Error("given text to read again"));
      return Promise.resolve(answer(who, line));
    },
  };
  const intake = new Intake(runner, SETTINGS, queue, { client, accounts: undefined, members }, log);
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { intake, client, runs, sent, logs, settle, queue };
}

Deno.test("intake: a channel command is cleaned and read once, and the runner gets it as read", async () => {
  const t = setup((who, line) => [{ text: `${who.nick} ${line.kind} ${line.text}` }]);
  t.intake.message(t.client, { nick: "alice", target: "#event", message: "\x02+in\x02 \x0304#nova" });
  await t.settle();
  assert.equal(t.runs.length, 1);
  const { who, line } = t.runs[0];
  assert.equal(typeof line, "object");
  const read = line as Classified;
  assert.equal(read.text, "+in #nova");
  assert.equal(read.kind, "command");
  assert.equal(read.place, "channel");
  assert.ok(read.parsed && "spec" in read.parsed && read.parsed.spec.words[0] === "in");
  assert.deepEqual(who, { id: "alice", nick: "alice", place: "channel", op: true, voice: false });
  assert.deepEqual(t.sent, ["PRIVMSG #Event :alice: alice command +in #nova"]);
  t.intake.stop();
  t.queue.clear();
});

Deno.test("intake: chatter, the bot's own lines and lines to others never reach the runner", async () => {
  const t = setup(() => [{ text: "answered" }]);
  t.intake.message(t.client, { nick: "alice", target: "#event", message: "hello all" });
  t.intake.message(t.client, { nick: "alice", target: "#event", message: "+1" });
  t.intake.message(t.client, { nick: "ptgbot", target: "#event", message: "+in #nova" });
  t.intake.message(t.client, { nick: "alice", target: "#elsewhere", message: "+in #nova" });
  t.intake.message(t.client, { nick: "alice", target: "#event", message: 42 });
  await t.settle();
  assert.equal(t.runs.length, 0);
  // In private, help and commands go without a sigil, answered without a nick prefix.
  t.intake.message(t.client, { nick: "Bob", target: "PTGbot", message: "help" });
  await t.settle();
  assert.equal((t.runs[0].line as Classified).kind, "help");
  assert.equal(t.runs[0].who.place, "private");
  assert.deepEqual(t.sent, ["PRIVMSG Bob :answered"]);
  t.intake.stop();
  t.queue.clear();
});

Deno.test("intake: a runner that throws is logged once with the nick, and the speaker gets the apology", async () => {
  const t = setup(() => {
    throw new Error("engine bug");
  });
  t.intake.message(t.client, { nick: "alice", target: "#event", message: "+in #nova" });
  await t.settle();
  assert.deepEqual(t.sent, [
    "PRIVMSG #Event :alice: Sorry, that command failed on our side; the error is logged",
  ]);
  assert.equal(t.logs.filter((l) => l.includes("failed")).length, 1);
  assert.match(t.logs[0], /^irc: command from alice failed: Error: engine bug/);
  t.intake.stop();
  t.queue.clear();
});
