/** Shared test fixtures: the sample event, speakers, a fixed clock, and two ways to run lines. */
import baseEvent from "../../base.json" with { type: "json" };
import { runLine } from "../../lib/engine/engine.ts";
import { COMMANDS } from "../../lib/engine/commands.ts";
import type { Context, Reply, Speaker } from "../../lib/engine/types.ts";
import { completeState, mergeDocument } from "../../lib/state/json.ts";
import { validateDocument } from "../../lib/state/document.ts";
import { applyChanges, emptyState, type State } from "../../lib/state/model.ts";
import { KvStore } from "../../lib/storage/store.ts";
import { Runner } from "../../lib/app/runner.ts";
import { fetchDocument } from "../../lib/fetch/fetch_document.ts";
import { createWebApp } from "../../lib/web/server.ts";
import { snapshots } from "../../lib/web/snapshot.ts";

/** The sample event's file: tests that start the program with a config name it as `base`. */
export const SAMPLE_FILE = new URL("../../base.json", import.meta.url).pathname;

/** Monday 10:00 UTC of the sample event: slot MonA1 is running. */
export const NOW = new Date("2027-04-12T10:00:00Z");
export const STAMP = "2027-04-12 10:00:00";

export const CTX: Context = {
  now: NOW,
  timeZone: "UTC",
  etherpadBase: "https://pads.example.org/p/",
  helpUrl: "https://ptg.example.org/ptg.html#help",
};

function speaker(nick: string, extra: Partial<Speaker> = {}): Speaker {
  return { id: nick.toLowerCase(), nick, place: "channel", op: false, voice: false, ...extra };
}

export const ALICE = speaker("Alice");
export const BOB = speaker("bob");
export const VOICED = speaker("vera", { voice: true });
export const OP = speaker("olga", { op: true });
export const ALICE_PRIVATE = speaker("Alice", { place: "private" });

/** A fresh copy of the sample event. */
export function sampleState(): State {
  const doc = validateDocument(structuredClone(baseEvent));
  if (!doc.ok) throw new Error(doc.error);
  const state = completeState(mergeDocument(emptyState(), doc.doc));
  state.timestamp = "2027-04-11 08:00:00";
  return state;
}

/** Something that runs lines and shows the state. */
export interface Driver {
  run(who: Speaker, line: string): Promise<Reply[] | undefined>;
  state(): State;
  close(): Promise<void>;
}

/** The pure engine with changes applied to an in-memory state. */
export function memoryDriver(initial = sampleState()): Driver {
  const state = initial;
  return {
    run(who, line) {
      const out = runLine(state, who, line, CTX);
      if (out) applyChanges(state, out.changes, STAMP);
      return Promise.resolve(out?.replies);
    },
    state: () => state,
    close: () => Promise.resolve(),
  };
}

/** The runner over a KV file, closed and reopened from disk before every line. */
export async function kvDriver(initial = sampleState()): Promise<Driver> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-test-" });
  const path = `${dir}/state.kv`;
  let store = await KvStore.open(path);
  await store.replace(initial);
  const runner = () => {
    const r = new Runner(store, {
      timeZone: CTX.timeZone,
      etherpadBase: CTX.etherpadBase,
      helpUrl: CTX.helpUrl,
    }, (u) => fetchDocument(u, { allow: ["127.0.0.1"] }));
    r.clock = () => NOW;
    return r;
  };
  return {
    async run(who, line) {
      await store.close();
      store = await KvStore.open(path);
      return await runner().run(who, line);
    },
    state: () => store.state,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The texts of replies to the origin. */
export function texts(replies: Reply[] | undefined): string[] | undefined {
  return replies?.filter((r) => !r.to).map((r) => r.text);
}

/** Checks the invariants every state must keep; returns the problems found. */
export function stateProblems(s: State): string[] {
  const problems: string[] = [];
  const sorted = [...s.tracks].sort();
  if (JSON.stringify(sorted) !== JSON.stringify(s.tracks)) problems.push("tracks not sorted");
  if (new Set(s.tracks).size !== s.tracks.length) problems.push("tracks not unique");
  if (s.tracks.some((t) => t !== t.toLowerCase())) problems.push("track not lower-case");
  for (const [t, list] of Object.entries(s.next)) {
    if (!Array.isArray(list) || list.length === 0) problems.push(`next[${t}] empty`);
  }
  for (const map of ["now", "next", "etherpads", "urls", "colors", "location"] as const) {
    for (const k of Object.keys(s[map])) {
      if (k !== k.toLowerCase()) problems.push(`${map} key ${k} not lower-case`);
    }
  }
  for (const [room, entries] of Object.entries(s.schedule)) {
    if (!entries || typeof entries !== "object") problems.push(`room ${room} broken`);
  }
  if (s.voice !== 0 && s.voice !== 1) problems.push("voice not 0/1");
  return problems;
}

/**
 * The web app over a state (the sample event's by default), in memory, its clock at `now`; `bump` makes a
 * new version as a command would.
 */
export function webApp(state: State = sampleState(), now: Date = NOW) {
  let version = 1;
  const committed = {
    state,
    get version() {
      return version;
    },
  };
  const web = createWebApp(
    snapshots(committed, { etherpadBase: "https://pads.example.org/p/", timeZone: "UTC" }),
    { now: () => now.getTime() },
  );
  return {
    web,
    state,
    bump() {
      version++;
      web.changed();
    },
    get: async (path: string, headers: Record<string, string> = {}, method = "GET") =>
      await web.handler(new Request(`http://localhost${path}`, { headers, method })),
  };
}

/** Every word of the command table, aliases and sub-commands included: the vocabulary of random lines. */
export const COMMAND_WORDS: string[] = [
  ...new Set(COMMANDS.flatMap((c) => c.words.flatMap((w) => w.split(" ")))),
];
