/** Why a chat's messages are held: Band's agent.control `stop`, or the loop guard (docs/delivery.md guarantees 10, 12). */
export type HoldReason = "stop" | "loop";

/**
 * Which chats' messages are held (queued, never handed out) and why. A chat stays held while any reason holds
 * it: a person's message ends the loop guard's hold, but not Band's stop.
 */
export class Holds {
  readonly #chats = new Map<string, Set<HoldReason>>();
  /** Band stopped the whole agent. */
  #all = false;

  /** Nothing held anywhere: the queue's fast path. */
  get none(): boolean {
    return !this.#all && this.#chats.size === 0;
  }

  isHeld(chatId: string): boolean {
    return this.#all || this.#chats.has(chatId);
  }

  /** Holds one chat for a reason, or (no chat) the whole agent, which only Band's stop does. */
  hold(chatId: string | undefined, reason: HoldReason): void {
    if (chatId === undefined) {
      this.#all = true;
      return;
    }
    const reasons = this.#chats.get(chatId) ?? new Set<HoldReason>();
    reasons.add(reason);
    this.#chats.set(chatId, reasons);
  }

  release(chatId: string | undefined, reason: HoldReason): void {
    if (chatId === undefined) {
      this.#all = false;
      return;
    }
    const reasons = this.#chats.get(chatId);
    reasons?.delete(reason);
    if (reasons?.size === 0) this.#chats.delete(chatId);
  }
}
