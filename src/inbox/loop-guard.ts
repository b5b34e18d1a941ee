import { STATUS, type CoreEvents } from "./events.js";
import type { Inbox } from "./inbox.js";
import type { InboxMessage, LoopHold } from "./live.js";

/**
 * The loop guard (docs/delivery.md guarantee 12): two agents answering each other can loop forever. Per room it counts the
 * messages addressed to us from agents (sender type `Agent`) since the last one from a person (`User`); past
 * `limit` the room is held like Band's stop (queued here, never handed out or pushed, unclaimed on Band). A
 * person's message there, or Band's `play`, releases it, and the held messages go out in order before it.
 * Counting is by message id, so a message fetched twice (a push and a drain) counts once. `limit` 0 disables.
 */
export class LoopGuard {
  /** Per room, the ids of the agents' messages in the current run (at most limit + 1 are kept). */
  readonly #runs = new Map<string, Set<string>>();
  readonly #held = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly inbox: Inbox,
    private readonly events: CoreEvents,
  ) {
    events.on("room_left", (event) => this.release(event.roomId));
  }

  /** Called for each message about to enter the queue, in the room's order, before it is offered. */
  admit(message: InboxMessage): void {
    if (this.limit <= 0) return;
    const chatId = message.chat_id;
    if (message.sender.type === "User") return this.release(chatId);
    if (message.sender.type !== "Agent") return;
    const run = this.#runs.get(chatId) ?? new Set<string>();
    this.#runs.set(chatId, run);
    if (run.size <= this.limit) run.add(message.id);
    if (run.size > this.limit && !this.#held.has(chatId)) {
      this.#held.add(chatId);
      this.inbox.hold(chatId, "loop");
      this.events.emit(STATUS);
    }
  }

  /** A person spoke in the room, or Band said play: the run ends and the room's held messages go out. */
  release(chatId: string): void {
    this.#runs.delete(chatId);
    if (!this.#held.delete(chatId)) return;
    this.inbox.release(chatId, "loop");
    this.events.emit(STATUS);
  }

  releaseAll(): void {
    for (const chatId of [...this.#held]) this.release(chatId);
    this.#runs.clear();
  }

  holds(): LoopHold[] {
    return [...this.#held].map((chatId) => ({ chat_id: chatId, agent_messages_in_a_row: this.#runs.get(chatId)?.size ?? 0, held: this.inbox.queuedIn(chatId) }));
  }
}
