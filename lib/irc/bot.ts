/**
 * The bot on IRC, as the program sees it: started and stopped (by the IRC
 * lease), asked how its link is, and given lines to send. The work is in
 * the modules behind it: the connection's lifecycle (`connection.ts`), the
 * lines people say (`intake.ts`), and every outgoing line through the one
 * send queue (`send_queue.ts`).
 *
 * @module
 */
import type { LineRunner } from "../engine/types.ts";
import { Connection } from "./connection.ts";
import { Intake } from "./intake.ts";
import { SendQueue } from "./send_queue.ts";
import type { IrcSettings } from "./settings.ts";

export type { IrcSettings } from "./settings.ts";

/** The IRC side of the program. */
export class IrcBot {
  #queue: SendQueue;
  #link: Connection;
  #intake: Intake;

  constructor(
    runner: LineRunner,
    settings: IrcSettings,
    log: (line: string) => void = (l) => console.log(l),
  ) {
    this.#queue = new SendQueue((command, target, text) => this.#link.client?.raw(command, target, text), {
      burst: settings.sendBurst,
      intervalMs: settings.sendIntervalMs,
      log,
    });
    this.#link = new Connection(settings, this.#queue, (client, e) => this.#intake.message(client, e), log);
    this.#intake = new Intake(runner, settings, this.#queue, this.#link, log);
  }

  /** True while in the channel. */
  get joined(): boolean {
    return this.#link.joined;
  }

  /** For the status and /metrics: the link, and the send queue's depth and drops. */
  get health(): { connectedAt?: number; joined: boolean; queued: number; dropped: number } {
    return {
      connectedAt: this.#link.connectedAt,
      joined: this.#link.joined,
      queued: this.#queue.size,
      dropped: this.#queue.dropped,
    };
  }

  /** The nick in use now. */
  get nick(): string | undefined {
    return this.#link.client?.user?.nick;
  }

  /** Resolves the next time the bot is in its channel (at once if it is). */
  whenJoined(): Promise<void> {
    return this.#link.whenJoined();
  }

  /** Starts connecting; reconnects on its own until `stop`. */
  start(): void {
    this.#link.start();
  }

  /** Queues private notices: each to a person's key (an account with `require_account`, else a nick). */
  notify(notices: readonly { to: string; text: string; tag?: unknown }[]): void {
    this.#intake.notify(notices);
  }

  /**
   * Takes back the tagged notices still waiting whole in the send queue
   * (none of their lines written) and returns their tags: a leaving
   * process hands them to the next.
   */
  takeBack(): unknown[] {
    return this.#intake.takeBack();
  }

  /** Queues lines to the channel as notifications (announcements). */
  announce(lines: readonly string[]): void {
    this.#intake.announce(lines);
  }

  /** Leaves IRC: QUIT with a message after the queue drains (at most `drainMs`). */
  stop(message = "ptgbot stopping", drainMs = 3000): Promise<void> {
    return this.#link.stop(message, drainMs, () => this.#intake.stop());
  }
}
