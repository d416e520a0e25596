/**
 * The error boundary: an error thrown in each kind of handler (an IRC event,
 * a web request, a console line, a timer, a change listener, a promise
 * nobody awaited) is logged once, saying what was being done, and the
 * program goes on serving: the next event, request or line is handled.
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { catchStray, guard, guarded, report } from "../../lib/util/boundary.ts";
import { type IrcClient, listen } from "../../lib/irc/client_types.ts";
import { createWebApp } from "../../lib/web/server.ts";
import { runConsole } from "../../lib/app/console.ts";
import { Runner } from "../../lib/app/runner.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { snapshots } from "../../lib/web/snapshot.ts";
import { ALICE, CTX, sampleState, texts } from "../helpers/fixtures.ts";

Deno.test("guard: a throw and a rejection are each logged once with what was done, and taken as undefined", async () => {
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  assert.equal(guard("sync job", () => 7, log), 7);
  assert.equal(
    guard("sync job", () => {
      throw new Error("bad sync");
    }, log),
    undefined,
  );
  assert.equal(await guard("async job", () => Promise.reject(new Error("bad async")), log), undefined);
  assert.equal(await guard("async job", () => Promise.resolve(8), log), 8);
  assert.equal(logs.length, 2);
  assert.match(logs[0], /^sync job failed: Error: bad sync\n\s+at /);
  assert.match(logs[1], /^async job failed: Error: bad async\n\s+at /);
});

Deno.test("report: an error that crosses two boundaries is logged once; a throwing log does not escape", () => {
  const logs: string[] = [];
  const e = new Error("twice");
  report("inner", e, (l) => logs.push(l));
  report("outer", e, (l) => logs.push(l));
  assert.equal(logs.length, 1);
  report("noisy", new Error("x"), () => {
    throw new Error("the log is broken");
  });
  // Thrown values that are not objects cannot be marked; each is logged where it is caught.
  guarded("plain", () => {
    throw "a string";
  }, (l) => logs.push(l))();
  assert.equal(logs[1], "plain failed: a string");
});

Deno.test("guarded: the context is worked out from the handler's arguments, only once it failed", () => {
  const logs: string[] = [];
  let asked = 0;
  const handler = guarded(
    (nick: string) => {
      asked++;
      return `irc: privmsg from ${nick}`;
    },
    (nick: string) => {
      if (nick === "mallory") throw new Error("bug");
    },
    (l) => logs.push(l),
  );
  handler("alice");
  handler("mallory");
  handler("bob");
  assert.equal(asked, 1);
  assert.deepEqual(logs.map((l) => l.split("\n")[0]), ["irc: privmsg from mallory failed: Error: bug"]);
});

Deno.test("IRC events: a listener that throws is logged with the event, and the client goes on emitting", () => {
  const logs: string[] = [];
  const client = new EventEmitter() as unknown as IrcClient & EventEmitter;
  const seen: string[] = [];
  listen(
    client,
    "privmsg",
    (e) => {
      if (e.message === "boom") throw new Error("handler bug");
      seen.push(String(e.message));
    },
    (l) => logs.push(l),
    (e) => `irc: privmsg from ${e.nick}`,
  );
  listen(client, "privmsg", (e) => seen.push(`second ${e.message}`), (l) => logs.push(l));
  client.emit("privmsg", { nick: "alice", message: "boom" });
  client.emit("privmsg", { nick: "bob", message: "hello" });
  assert.deepEqual(seen, ["second boom", "hello", "second hello"]);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /^irc: privmsg from alice failed: Error: handler bug/);
});

Deno.test("web: a route that throws, or whose promise rejects, gets a 500 and one log line naming the request", async () => {
  const store = await KvStore.open();
  await store.replace(sampleState());
  const logs: string[] = [];
  const app = createWebApp(snapshots(store, { timeZone: "UTC", etherpadBase: CTX.etherpadBase }), {
    log: (l) => logs.push(l),
    routes: {
      "/sync-bug": () => {
        throw new Error("route bug");
      },
      "/async-bug": () => Promise.reject(new Error("async route bug")),
    },
  });
  try {
    const a = await app.handler(new Request("http://x/sync-bug?q=1"));
    assert.equal(a.status, 500);
    assert.equal(await a.text(), "internal error\n");
    const b = await app.handler(new Request("http://x/async-bug"));
    assert.equal(b.status, 500);
    await b.body?.cancel();
    const ok = await app.handler(new Request("http://x/ptg.json"));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.equal(logs.length, 2);
    assert.match(logs[0], /^web: GET \/sync-bug failed: Error: route bug/);
    assert.match(logs[1], /^web: GET \/async-bug failed: Error: async route bug/);
  } finally {
    app.close();
    await store.close();
  }
});

Deno.test("console: a line whose command throws is logged once with the line, and the next line runs", async () => {
  const logs: string[] = [];
  const printed: string[] = [];
  const runner = {
    run: (_who: unknown, line: string) =>
      line.includes("boom")
        ? Promise.reject(new Error("runner bug"))
        : Promise.resolve([{ text: `ran ${line}` }]),
  } as unknown as Runner;
  const input = ReadableStream.from([new TextEncoder().encode("+in boom\nstatus\n+in #nova\n")]);
  await runConsole(runner, input, (l) => printed.push(l), {
    status: () => {
      throw new Error("status bug");
    },
  }, (l) => logs.push(l));
  assert.deepEqual(printed, [
    "Sorry, that command failed; see the log",
    "Sorry, that failed; see the log",
    "ran +in #nova",
  ]);
  assert.equal(logs.length, 2);
  assert.match(logs[0], /^console: "\+in boom" failed: Error: runner bug/);
  assert.match(logs[1], /^console: status failed: Error: status bug/);
});

Deno.test("timers: a guarded timer that throws is logged once, and later timers still fire", async () => {
  const logs: string[] = [];
  await new Promise<void>((done) => {
    setTimeout(
      guarded("irc: taking the nick back", () => {
        throw new Error("timer bug");
      }, (l) => logs.push(l)),
      1,
    );
    setTimeout(done, 5);
  });
  assert.equal(logs.length, 1);
  assert.match(logs[0], /^irc: taking the nick back failed: Error: timer bug/);
});

Deno.test("runner: a change listener that throws is logged; the command is answered and saved", async () => {
  const store = await KvStore.open();
  await store.replace(sampleState());
  const logs: string[] = [];
  const runner = new Runner(store, CTX, () => Promise.reject(new Error("no fetch")), (l) => logs.push(l));
  runner.clock = () => CTX.now;
  let heard = 0;
  runner.onChange(() => {
    throw new Error("listener bug");
  });
  runner.onChange(() => heard++);
  try {
    assert.deepEqual(texts(await runner.run(ALICE, "+in the pub")), ["Alice checked in to the pub"]);
    assert.equal(heard, 1);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^runner: a change listener failed: Error: listener bug/);
  } finally {
    await store.close();
  }
});

Deno.test("catchStray: a rejected promise nobody awaits is logged once, and the process goes on", async () => {
  const logs: string[] = [];
  const remove = catchStray((l) => logs.push(l));
  try {
    void Promise.reject(new Error("nobody awaited me"));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^unhandled promise failed: Error: nobody awaited me/);
  } finally {
    remove();
  }
});
