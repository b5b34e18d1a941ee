import { Listeners } from "../listeners.js";
import { RecentIds } from "../recent-ids.js";
import { Holds, type HoldReason } from "./holds.js";
import { blockingWait, servingOrder, waiterFor, type Handout, type Waiter } from "./wait.js";
import type { InboxMessage, WaitOptions } from "./live.js";

/** A push consumer: gets each message no blocked wait took, as it arrives (waits get first pick). */
export type Sink = (messages: InboxMessage[]) => void;

export interface InboxLimits {
  capacity: number;
  /** Approximate bytes of the queued messages' text (see sizeOf). */
  maxBytes: number;
  /** How often a blocked wait reports progress. */
  tickMs?: number;
}

/**
 * How many delivered ids are remembered for deduplication. Band stops listing a message once it is processed,
 * so only ids still unprocessed on Band matter; beyond this many, the oldest are forgotten.
 */
const SEEN_LIMIT = 200_000;
const TICK_MS = 5_000;

export type OfferResult = "queued" | "duplicate" | "full";

/**
 * The bounded, deduplicated queue of messages waiting for the model, the waits blocked on it, and an optional
 * push sink. Pure bookkeeping: no I/O. Hands out in arrival order, which callers keep per-chat ordered; never
 * hands out a held chat's messages (Band's agent.control stop). Claiming is the caller's step after hand-out.
 */
export class Inbox {
  #queue: InboxMessage[] = [];
  readonly #waiters: Waiter[] = [];
  /** Ids queued or handed out in this process: the exactly-once-per-process guarantee. */
  readonly #seen = new RecentIds(SEEN_LIMIT);
  /** How many messages of each chat are queued: offer() must know, per message, whether its chat has any. */
  readonly #queuedPerChat = new Map<string, number>();
  readonly #holds = new Holds();
  #bytes = 0;
  #sink: Sink | undefined;
  #deliveredTotal = 0;
  #dropped = 0;
  /** Reused for the usual change, one chat's: no set built per message. */
  readonly #oneChat = new Set<string>();
  /** Chats whose queued list changed (queued, handed out, withdrawn); the set is valid during the call only. */
  readonly changed = new Listeners<[chatIds: ReadonlySet<string>]>();
  /** A message reached the inbox: queued, or handed straight to a waiter or the sink (for `watch`). */
  readonly arrived = new Listeners<[message: InboxMessage]>();
  readonly capacity: number;
  readonly maxBytes: number;
  readonly #tickMs: number;

  constructor(limits: InboxLimits | number) {
    const { capacity, maxBytes, tickMs } = typeof limits === "number" ? { capacity: limits, maxBytes: Number.POSITIVE_INFINITY } : limits;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.#tickMs = tickMs ?? TICK_MS;
  }

  get pending(): number {
    return this.#queue.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Messages handed out (or settled while queued), less those given back. */
  get deliveredTotal(): number {
    return this.#deliveredTotal;
  }

  /** Local copies not kept (overflow, or a room that could not take them): still unprocessed on Band. */
  get dropped(): number {
    return this.#dropped;
  }

  /** How many more messages fit by count (the byte bound is checked per offer). */
  get space(): number {
    return Math.max(0, this.capacity - this.#queue.length);
  }

  /** Below half of both bounds: the moment overflowed rooms are drained again (docs/delivery.md guarantee 6). */
  hasRoom(): boolean {
    return this.#queue.length < this.capacity / 2 && this.#bytes < this.maxBytes / 2;
  }

  hasSeen(id: string): boolean {
    return this.#seen.has(id);
  }

  /** Offers one message: handed straight to a waiter or the sink, queued, or refused when full (counted in dropped). */
  offer(message: InboxMessage): OfferResult {
    if (this.#seen.has(message.id)) return "duplicate";
    // Straight out only when nothing of its chat is queued ahead of it: per-chat order comes first.
    if (!this.#queuedPerChat.has(message.chat_id) && !this.isHeld(message.chat_id)) {
      const waiter = this.#waiters.length === 0 ? undefined : waiterFor(this.#waiters, message);
      if (waiter || this.#sink) {
        this.#seen.add(message.id);
        const index = waiter ? this.#waiters.indexOf(waiter) : -1;
        if (index >= 0) this.#waiters.splice(index, 1);
        this.#handOut([message], waiter ? waiter.deliver : this.#sink!);
        this.arrived.emit(message);
        return "queued";
      }
    }
    const size = sizeOf(message);
    if (this.#queue.length >= this.capacity || (this.#queue.length > 0 && this.#bytes + size > this.maxBytes)) {
      this.#dropped++;
      return "full";
    }
    this.#seen.add(message.id);
    this.#queue.push(message);
    this.#count(message, 1);
    this.#dispatch();
    this.#changedIn(message.chat_id);
    this.arrived.emit(message);
    return "queued";
  }

  /** Takes up to `max` queued messages (of one chat, when given) for which `accept` holds, skipping held chats. */
  take(max: number, chatId?: string, accept?: (message: InboxMessage) => boolean): InboxMessage[] {
    // The usual wait (any chat, no filter, nothing held) takes the oldest: from the front, without a scan.
    const fast = chatId === undefined && !accept && this.#holds.none;
    const taken = fast ? this.#queue.splice(0, max) : this.#takeMatching(max, (m) => (chatId === undefined || m.chat_id === chatId) && !this.isHeld(m.chat_id) && (!accept || accept(m)));
    if (taken.length === 0) return taken;
    for (const message of taken) this.#count(message, -1);
    this.#deliveredTotal += taken.length;
    this.changed.emit(new Set(taken.map((m) => m.chat_id)));
    return taken;
  }

  #takeMatching(max: number, wanted: (message: InboxMessage) => boolean): InboxMessage[] {
    const taken: InboxMessage[] = [];
    const kept: InboxMessage[] = [];
    for (const message of this.#queue) {
      if (taken.length < max && wanted(message)) taken.push(message);
      else kept.push(message);
    }
    if (taken.length > 0) this.#queue = kept;
    return taken;
  }

  #count(message: InboxMessage, sign: 1 | -1): void {
    this.#bytes += sign * sizeOf(message);
    const count = (this.#queuedPerChat.get(message.chat_id) ?? 0) + sign;
    if (count > 0) this.#queuedPerChat.set(message.chat_id, count);
    else this.#queuedPerChat.delete(message.chat_id);
  }

  peek(chatId?: string): InboxMessage[] {
    return chatId === undefined ? [...this.#queue] : this.#queue.filter((m) => m.chat_id === chatId);
  }

  /**
   * Hands out what is queued, or blocks until something arrives, the timeout passes, the signal aborts or
   * Band interrupts. Progress ticks every few seconds while blocked, when `onTick` is given.
   */
  wait(request: WaitOptions): Promise<Handout> {
    return blockingWait(this, request, this.#tickMs);
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

  /** Ends blocked waits at once, empty and marked interrupted: all of them, or those bound to one chat. */
  interrupt(chatId?: string): number {
    const ended = this.#waiters.filter((w) => chatId === undefined || w.chatId === chatId);
    for (const waiter of ended) this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
    for (const waiter of ended) waiter.deliver([], true);
    return ended.length;
  }

  /** Releases every waiter with nothing (shutdown, or the inbox went off). */
  releaseAll(): void {
    for (const waiter of this.#waiters.splice(0)) waiter.deliver([]);
  }

  /** Puts handed-out messages back at the front (their client is gone before acknowledging them). */
  requeue(messages: InboxMessage[]): void {
    if (messages.length === 0) return;
    this.#queue = [...messages, ...this.#queue];
    for (const message of messages) this.#count(message, 1);
    this.#deliveredTotal -= messages.length;
    this.#dispatch();
    this.changed.emit(new Set(messages.map((m) => m.chat_id)));
  }

  /** Holds a chat's messages (or all, without a chat): queued, never handed out, until released for that reason. */
  hold(chatId?: string, reason: HoldReason = "stop"): void {
    this.#holds.hold(chatId, reason);
  }

  /** Ends one reason's hold; what is no longer held goes out in order. */
  release(chatId?: string, reason: HoldReason = "stop"): void {
    this.#holds.release(chatId, reason);
    this.#dispatch();
  }

  isHeld(chatId: string): boolean {
    return this.#holds.isHeld(chatId);
  }

  /** How many messages of a chat are queued. */
  queuedIn(chatId: string): number {
    return this.#queuedPerChat.get(chatId) ?? 0;
  }

  /** Removes a queued message of a chat that was settled elsewhere; true when it was queued here. */
  withdraw(id: string, chatId: string): boolean {
    if (!this.#queuedPerChat.has(chatId)) return false;
    const index = this.#queue.findIndex((m) => m.id === id);
    if (index < 0) return false;
    const [message] = this.#queue.splice(index, 1);
    this.#count(message!, -1);
    this.#changedIn(chatId);
    return true;
  }

  /** Takes out a queued message that its consumer settled before it was handed out: counted as delivered. */
  settleQueued(id: string, chatId: string): boolean {
    if (!this.withdraw(id, chatId)) return false;
    this.#deliveredTotal++;
    return true;
  }

  /** A message its room could not take (in a gap, or its drain failed): not kept here, counted; Band still has it. */
  drop(): void {
    this.#dropped++;
  }

  /** Records Band's attempt number on a queued message. */
  annotate(id: string, attempt: number): void {
    const message = this.#queue.find((m) => m.id === id);
    if (message) message.attempt = attempt;
  }

  /** Plugs in (or removes) the push consumer; what is queued and not held goes to it at once. */
  setSink(sink: Sink | undefined): void {
    this.#sink = sink;
    this.#dispatch();
  }

  /** Serves blocked waits first, then the sink, from the queue. */
  #dispatch(): void {
    for (const waiter of servingOrder(this.#waiters)) {
      if (this.#queue.length === 0) return;
      // A delivery can re-enter (a cancelled waiter requeues): skip waiters that were served meanwhile.
      if (!this.#waiters.includes(waiter)) continue;
      const messages = this.take(waiter.max, waiter.chatId, waiter.accept);
      if (messages.length === 0) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.deliver(messages);
    }
    if (this.#sink && this.#queue.length > 0) {
      const messages = this.take(this.#queue.length);
      if (messages.length > 0) this.#sink(messages);
    }
  }

  #handOut(messages: InboxMessage[], deliver: (messages: InboxMessage[]) => void): void {
    this.#deliveredTotal += messages.length;
    if (messages.length === 1) this.#changedIn(messages[0]!.chat_id);
    else this.changed.emit(new Set(messages.map((m) => m.chat_id)));
    deliver(messages);
  }

  #changedIn(chatId: string): void {
    this.#oneChat.clear();
    this.#oneChat.add(chatId);
    this.changed.emit(this.#oneChat);
  }
}

/** What a queued message costs in memory, approximately: its text in UTF-8 plus a fixed share for the rest. */
export function sizeOf(message: InboxMessage): number {
  return Buffer.byteLength(message.content) + (message.chat_title?.length ?? 0) + 256;
}
