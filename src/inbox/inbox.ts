import type { InboxMessage } from "./live.js";

interface Waiter {
  chatId?: string;
  max: number;
  accept?: (message: InboxMessage) => boolean;
  deliver(messages: InboxMessage[]): void;
}

/**
 * How many delivered ids are remembered for deduplication. Band stops listing a message once it is processed,
 * so only ids still unprocessed on Band matter; beyond this many, the oldest are forgotten.
 */
const SEEN_LIMIT = 200_000;

export type OfferResult = "queued" | "duplicate" | "full";

/**
 * The bounded, deduplicated queue of messages waiting for the model, and the waiters blocked on it.
 * Pure bookkeeping: no I/O. Messages are handed out in arrival order, which callers keep per-chat ordered.
 */
export class Inbox {
  #queue: InboxMessage[] = [];
  readonly #waiters: Waiter[] = [];
  /** Ids queued or handed out in this process: the exactly-once-per-process guarantee. */
  readonly #seen = new Set<string>();
  /** How many messages of each chat are queued: offer() must know, per message, whether its chat has any. */
  readonly #queuedPerChat = new Map<string, number>();
  deliveredTotal = 0;
  dropped = 0;

  constructor(
    readonly capacity: number,
    /** Called with the messages handed out and the chats whose pending list changed. */
    private readonly onChange: (chatIds: Set<string>, handedOut: InboxMessage[]) => void = () => undefined,
  ) {}

  get pending(): number {
    return this.#queue.length;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  hasSeen(id: string): boolean {
    return this.#seen.has(id);
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > SEEN_LIMIT) this.#seen.delete(this.#seen.values().next().value!);
  }

  /** Offers one message: handed straight to a matching waiter, queued, or refused when full (counted in dropped). */
  offer(message: InboxMessage): OfferResult {
    if (this.#seen.has(message.id)) return "duplicate";
    const waiter = this.#waiters.length === 0 ? undefined : this.#servingOrder().find((w) => matches(w, message));
    // Straight to a waiter only when nothing of its chat is queued ahead of it: per-chat order comes first.
    if (waiter && !this.#queuedPerChat.has(message.chat_id)) {
      this.#remember(message.id);
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#handOut(waiter, [message]);
      return "queued";
    }
    if (this.#queue.length >= this.capacity) {
      this.dropped++;
      return "full";
    }
    this.#remember(message.id);
    this.#queue.push(message);
    this.#countQueued(message.chat_id, 1);
    this.#serveWaiters();
    this.onChange(new Set([message.chat_id]), []);
    return "queued";
  }

  /** Takes up to `max` queued messages (of one chat, when given) for which `accept` holds. */
  take(max: number, chatId?: string, accept?: (message: InboxMessage) => boolean): InboxMessage[] {
    // The usual wait (any chat, no filter) takes the oldest: from the front, without scanning the whole queue.
    const taken = chatId === undefined && !accept ? this.#queue.splice(0, max) : this.#takeMatching(max, chatId, accept);
    if (taken.length === 0) return taken;
    for (const message of taken) this.#countQueued(message.chat_id, -1);
    this.deliveredTotal += taken.length;
    this.onChange(new Set(taken.map((m) => m.chat_id)), taken);
    return taken;
  }

  #takeMatching(max: number, chatId: string | undefined, accept: ((message: InboxMessage) => boolean) | undefined): InboxMessage[] {
    const taken: InboxMessage[] = [];
    const kept: InboxMessage[] = [];
    for (const message of this.#queue) {
      if (taken.length < max && (chatId === undefined || message.chat_id === chatId) && (!accept || accept(message))) taken.push(message);
      else kept.push(message);
    }
    if (taken.length > 0) this.#queue = kept;
    return taken;
  }

  #countQueued(chatId: string, delta: number): void {
    const count = (this.#queuedPerChat.get(chatId) ?? 0) + delta;
    if (count > 0) this.#queuedPerChat.set(chatId, count);
    else this.#queuedPerChat.delete(chatId);
  }

  peek(chatId?: string): InboxMessage[] {
    return chatId === undefined ? [...this.#queue] : this.#queue.filter((m) => m.chat_id === chatId);
  }

  /** Registers a waiter; returns a function that removes it (on timeout or cancellation). */
  addWaiter(waiter: Waiter): () => boolean {
    this.#waiters.push(waiter);
    return () => {
      const index = this.#waiters.indexOf(waiter);
      if (index < 0) return false;
      this.#waiters.splice(index, 1);
      return true;
    };
  }

  /** Releases every waiter with nothing (shutdown). */
  releaseAll(): void {
    for (const waiter of this.#waiters.splice(0)) waiter.deliver([]);
  }

  /** Puts handed-out messages back at the front (a session closed before acknowledging them). */
  requeue(messages: InboxMessage[]): void {
    if (messages.length === 0) return;
    this.#queue = [...messages, ...this.#queue];
    for (const message of messages) this.#countQueued(message.chat_id, 1);
    this.deliveredTotal -= messages.length;
    this.#serveWaiters();
    this.onChange(new Set(messages.map((m) => m.chat_id)), []);
  }

  #serveWaiters(): void {
    for (const waiter of this.#servingOrder()) {
      if (this.#queue.length === 0) return;
      // A delivery can re-enter (a cancelled waiter requeues): skip waiters that were served meanwhile.
      if (!this.#waiters.includes(waiter)) continue;
      const messages = this.take(waiter.max, waiter.chatId, waiter.accept);
      if (messages.length === 0) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.deliver(messages);
    }
  }

  /**
   * Waiters with an `accept` filter (send-and-wait awaiting one reply) are served before general ones, in
   * arrival order within each group: a general waiter would take any message, so it must not take the reply.
   */
  #servingOrder(): Waiter[] {
    return [...this.#waiters.filter((w) => w.accept), ...this.#waiters.filter((w) => !w.accept)];
  }

  #handOut(waiter: Waiter, messages: InboxMessage[]): void {
    this.deliveredTotal += messages.length;
    this.onChange(new Set(), messages);
    waiter.deliver(messages);
  }
}

function matches(waiter: Waiter, message: InboxMessage): boolean {
  return (waiter.chatId === undefined || waiter.chatId === message.chat_id) && (!waiter.accept || waiter.accept(message));
}
