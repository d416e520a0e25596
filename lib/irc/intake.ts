/**
 * What people say to the bot, from PRIVMSG to the replies: each line is
 * cleaned of IRC formatting and read once (`classifyLine`), chatter dropped,
 * the speaker worked out (nick, op/voice from the channel state, the
 * services account where `require_account` asks for it), the line put in
 * its person's queue, run by the runner as read here, and the answers and
 * notifications (and the program's own notices and announcements) handed
 * to the send queue.
 *
 * @module
 */
import { type Classified, classifyLine } from "../engine/parse.ts";
import type { LineRunner, Reply, Speaker } from "../engine/types.ts";
import { type Log, report } from "../util/boundary.ts";
import type { Accounts } from "./accounts.ts";
import type { ChannelState } from "./channel_state.ts";
import type { IrcClient, MessageEvent } from "./client_types.ts";
import { CLASS_RULES, type SendQueue } from "./send_queue.ts";
import { type IrcSettings, isChannel } from "./settings.ts";
import { stripFormatting } from "./text.ts";
import { MAX_WAITING, UserQueue } from "./user_queue.ts";

const APOLOGY = "Sorry, that command failed on our side; the error is logged";

const notTaken = (count: number) =>
  `${count} ${count === 1 ? "line was" : "lines were"} not taken (at most ${MAX_WAITING} wait at once); ` +
  "send them again";

/** What the intake needs of the connection: the current client, its accounts, the channel's members. */
export interface Link {
  readonly client: IrcClient | undefined;
  readonly accounts: Accounts | undefined;
  readonly members: ChannelState;
}

/** A message from someone, as far as the intake cares. */
type Said = MessageEvent & { nick: string; message: string };

/** Takes lines from IRC, one person's at a time, and sends back what comes of them. */
export class Intake {
  #runner: LineRunner;
  #s: IrcSettings;
  #queue: SendQueue;
  #link: Link;
  #log: Log;
  #users: UserQueue;

  constructor(runner: LineRunner, settings: IrcSettings, queue: SendQueue, link: Link, log: Log) {
    this.#runner = runner;
    this.#s = settings;
    this.#queue = queue;
    this.#link = link;
    this.#log = log;
    this.#users = new UserQueue({ burst: settings.userBurst, intervalMs: settings.userIntervalMs, log });
  }

  /** A PRIVMSG on `client`: to the channel or to the bot, anything else is not ours. */
  message(client: IrcClient, e: MessageEvent): void {
    const own = client.user.nick;
    if (!e.nick || e.nick === own || typeof e.message !== "string") return;
    const said = e as Said;
    const place = isChannel(this.#s, e.target)
      ? "channel"
      : e.target?.toLowerCase() === own.toLowerCase()
      ? "private"
      : undefined;
    if (!place) return;
    const line = classifyLine(stripFormatting(said.message), place);
    if (line.kind === "chatter") return;
    // Help needs no account; a command may need the server asked who the speaker is.
    const found = this.#s.requireAccount && line.kind !== "help"
      ? this.#link.accounts?.accountOf(said.nick, e.account || undefined)
      : undefined;
    if (found instanceof Promise) {
      void found.then((account) => this.#link.client === client && this.#take(said, line, account))
        .catch((err) => report(`irc: privmsg from ${said.nick}`, err, this.#log));
    } else {
      this.#take(said, line, found);
    }
  }

  #speaker(nick: string, place: "channel" | "private", account: string | undefined): Speaker | string {
    let id = nick.toLowerCase();
    if (this.#s.requireAccount) {
      if (!account) {
        return "Please identify to services (NickServ) first: this bot knows people by their account";
      }
      id = account.toLowerCase();
    }
    const members = this.#link.members;
    return { id, nick, place, op: members.isOp(nick), voice: members.isVoiced(nick) };
  }

  #take(e: Said, line: Classified, account: string | undefined): void {
    const { place, kind } = line;
    const origin = place === "channel" ? this.#s.channel : e.nick;
    const prefix = place === "channel" ? `${e.nick}: ` : "";
    const who = this.#speaker(e.nick, place, account);
    // Help needs no account; everything else does. The reminder to identify
    // takes a turn like any answer, so it cannot flood the channel either.
    const reminder = typeof who === "string" && kind !== "help" ? who : undefined;
    const speaker: Speaker = typeof who !== "string"
      ? who
      : { id: e.nick.toLowerCase(), nick: e.nick, place, op: false, voice: false };
    // Unidentified people get keys no account can have (account names, like
    // nicks, hold no ":"), so nobody can use up an account holder's turns.
    const key = typeof who === "string" ? `nick:${speaker.id}` : speaker.id;
    // Answers take the turn of the person they answer, the speaker, in the channel as in private.
    const notSent = (count: number) => prefix + CLASS_RULES.reply.notSent(count);
    const say = (t: string) => this.#queue.push(origin, prefix + t, { person: key, notSent });
    const job = async () => {
      let replies: Reply[] | undefined = reminder === undefined ? undefined : [{ text: reminder }];
      if (reminder === undefined) {
        try {
          replies = await this.#runner.run(speaker, line);
        } catch (err) {
          // The airbag: log everything, tell the channel nothing internal.
          report(`irc: command from ${e.nick}`, err, this.#log);
          replies = [{ text: APOLOGY }];
        }
      }
      try {
        this.#deliver(replies, say);
      } catch (err) {
        report(`irc: sending an answer to ${e.nick}`, err, this.#log);
      }
    };
    this.#users.push(key, job, (count) => say(notTaken(count)));
  }

  #deliver(replies: Reply[] | undefined, say: (t: string) => void): void {
    for (const r of replies ?? []) {
      if (r.to === undefined) {
        say(r.text);
      } else {
        this.notify([{ to: r.to, text: r.text }]);
      }
    }
  }

  /**
   * Queues private notices as notifications, each to a person's key: with
   * `require_account` an account, sent to the nick that account uses now (a
   * notice for an account nobody here uses is not sent, so it never reaches
   * whoever holds a nick of that name); otherwise a nick. A notice with a
   * `tag` can be taken back while it waits (`takeBack`).
   */
  notify(notices: readonly { to: string; text: string; tag?: unknown }[]): void {
    for (const n of notices) {
      const nick = this.#s.requireAccount ? this.#link.accounts?.nickOf(n.to) : n.to;
      if (nick !== undefined) this.#queue.push(nick, n.text, { person: n.to, kind: "notice", tag: n.tag });
    }
  }

  /** Removes the tagged notices not yet written, and returns their tags. */
  takeBack(): unknown[] {
    return this.#queue.takeBack("notice").map((m) => m.tag);
  }

  /** Queues lines to the channel as notifications (announcements). */
  announce(lines: readonly string[]): void {
    for (const line of lines) {
      this.#queue.push(this.#s.channel, line, { person: this.#s.channel, kind: "notice" });
    }
  }

  /** Drops every line still waiting its turn (the bot is leaving IRC). */
  stop(): void {
    this.#users.stop();
  }
}
