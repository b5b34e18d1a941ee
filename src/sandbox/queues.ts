/**
 * Each agent's work and context, per room (PROTOCOL.md §6, §7): its queue holds the text messages that mention
 * it and that it did not send, oldest first; its context adds what it sent itself.
 */
import type { DeliveryStatus, MessageRecord, QueueFilter } from "./records.js";

interface Queue {
  items: MessageRecord[];
  /** Every item before `head` is processed, so unprocessed scans and `/next` start here. */
  head: number;
}

/** Index of the first item whose seq is greater than `seq` (items ascend by seq). */
export function firstAfter(items: readonly { seq: number }[], seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (items[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

function deliveryStatus(message: MessageRecord, agentId: string): DeliveryStatus | "none" {
  return message.deliveries.get(agentId)?.status ?? "none";
}

function matches(filter: QueueFilter, status: DeliveryStatus | "none"): boolean {
  switch (filter) {
    case "unprocessed":
      return status !== "processed";
    case "pending":
      return status === "none" || status === "failed";
    case "all":
      return true;
    default:
      return status === filter;
  }
}

/** A map of maps, agent → room → value, created on first use. */
function slot<T>(outer: Map<string, Map<string, T>>, agentId: string, roomId: string, create: () => T): T {
  let rooms = outer.get(agentId);
  if (!rooms) outer.set(agentId, (rooms = new Map()));
  let value = rooms.get(roomId);
  if (!value) rooms.set(roomId, (value = create()));
  return value;
}

export class AgentQueues {
  readonly #queues = new Map<string, Map<string, Queue>>();
  readonly #contexts = new Map<string, Map<string, MessageRecord[]>>();

  /** Files a new message with its sender (if an agent) and the agents it is for. */
  file(message: MessageRecord, recipients: readonly string[]): void {
    if (message.senderType === "Agent") this.#context(message.senderId, message.roomId).push(message);
    for (const agentId of recipients) {
      this.#queue(agentId, message.roomId).items.push(message);
      this.#context(agentId, message.roomId).push(message);
    }
  }

  /** The agent's queue and context in a room that is gone. */
  forget(agentId: string, roomId: string): void {
    this.#queues.get(agentId)?.delete(roomId);
    this.#contexts.get(agentId)?.delete(roomId);
  }

  /** What the agent sent (any type) plus the text messages that mention it, oldest first. */
  contextOf(agentId: string, roomId: string): readonly MessageRecord[] {
    return this.#contexts.get(agentId)?.get(roomId) ?? [];
  }

  /**
   * Up to `limit` queued messages matching `filter`, after the message with sequence `afterSeq`.
   * `nextAfter` is set when more match. Unprocessed scans start at the queue head, so draining a backlog
   * never rescans what is already processed.
   */
  list(agentId: string, roomId: string, filter: QueueFilter, limit: number, afterSeq?: number): { items: MessageRecord[]; nextAfter?: number } {
    const queue = this.#advanced(agentId, roomId);
    const skipsProcessed = filter !== "processed" && filter !== "all";
    let index = afterSeq === undefined ? 0 : firstAfter(queue.items, afterSeq);
    if (skipsProcessed) index = Math.max(index, queue.head);
    const items: MessageRecord[] = [];
    for (; index < queue.items.length; index++) {
      const message = queue.items[index]!;
      if (!matches(filter, deliveryStatus(message, agentId))) continue;
      if (items.length === limit) return { items, nextAfter: items[items.length - 1]!.seq };
      items.push(message);
    }
    return { items };
  }

  /** Every queued message matching `filter` (for the deprecated page family, which needs totals). */
  matching(agentId: string, roomId: string, filter: QueueFilter): MessageRecord[] {
    return this.#queue(agentId, roomId).items.filter((message) => matches(filter, deliveryStatus(message, agentId)));
  }

  /** `/next`: the oldest message not processed. */
  next(agentId: string, roomId: string): MessageRecord | undefined {
    const queue = this.#advanced(agentId, roomId);
    return queue.items[queue.head];
  }

  #advanced(agentId: string, roomId: string): Queue {
    const queue = this.#queue(agentId, roomId);
    while (queue.head < queue.items.length && deliveryStatus(queue.items[queue.head]!, agentId) === "processed") queue.head++;
    return queue;
  }

  #queue(agentId: string, roomId: string): Queue {
    return slot(this.#queues, agentId, roomId, () => ({ items: [], head: 0 }));
  }

  #context(agentId: string, roomId: string): MessageRecord[] {
    return slot(this.#contexts, agentId, roomId, () => []);
  }
}
