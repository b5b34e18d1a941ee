import type { InboxMessage, WaitOptions } from "./live.js";

export interface Waiter {
  chatId?: string;
  max: number;
  accept?: (message: InboxMessage) => boolean;
  /** `interrupted`: Band's agent.control ended the wait; the list is empty then. */
  deliver(messages: InboxMessage[], interrupted?: boolean): void;
}

export interface Handout {
  messages: InboxMessage[];
  timed_out: boolean;
  /** Band's agent.control `interrupt` ended the wait. */
  interrupted?: true;
}

/**
 * Waiters with an `accept` filter (send-and-wait awaiting one reply) are served before general ones, in
 * arrival order within each group: a general waiter would take any message, so it must not take the reply.
 */
export function servingOrder(waiters: readonly Waiter[]): Waiter[] {
  return [...waiters.filter((w) => w.accept), ...waiters.filter((w) => !w.accept)];
}

/** The waiter one arriving message goes to, in serving order, without building that order (once per message). */
export function waiterFor(waiters: readonly Waiter[], message: InboxMessage): Waiter | undefined {
  let general: Waiter | undefined;
  for (const waiter of waiters) {
    if ((waiter.chatId !== undefined && waiter.chatId !== message.chat_id) || (waiter.accept && !waiter.accept(message))) continue;
    if (waiter.accept) return waiter;
    general ??= waiter;
  }
  return general;
}

/** What a blocking wait needs of the queue it waits on. */
export interface WaitQueue {
  take(max: number, chatId?: string, accept?: (message: InboxMessage) => boolean): InboxMessage[];
  addWaiter(waiter: Waiter): () => boolean;
  requeue(messages: InboxMessage[]): void;
}

/**
 * Hands out what is queued, or blocks until something arrives, the timeout passes, the signal aborts or Band
 * interrupts. Progress ticks every `tickMs` while blocked, when `onTick` is given.
 */
export function blockingWait(inbox: WaitQueue, request: WaitOptions, tickMs: number): Promise<Handout> {
  const { signal } = request;
  if (signal.aborted) return Promise.resolve({ messages: [], timed_out: false });
  const ready = inbox.take(request.max, request.chatId, request.accept);
  if (ready.length > 0 || request.timeoutMs <= 0) return Promise.resolve({ messages: ready, timed_out: ready.length === 0 });
  return new Promise((resolve) => {
    const started = Date.now();
    const finish = (handout: Handout) => {
      clearTimeout(timer);
      clearInterval(ticker);
      signal.removeEventListener("abort", onAbort);
      resolve(handout);
    };
    const remove = inbox.addWaiter({
      ...(request.chatId !== undefined ? { chatId: request.chatId } : {}),
      max: request.max,
      ...(request.accept ? { accept: request.accept } : {}),
      deliver: (messages, interrupted) => {
        // A request cancelled at the same moment must not swallow messages: they go back to the queue.
        if (signal.aborted) {
          inbox.requeue(messages);
          return finish({ messages: [], timed_out: false });
        }
        finish({ messages, timed_out: false, ...(interrupted ? { interrupted: true as const } : {}) });
      },
    });
    const timer = setTimeout(() => remove() && finish({ messages: [], timed_out: true }), request.timeoutMs);
    const onTick = request.onTick;
    const ticker = onTick ? setInterval(() => onTick(Date.now() - started), Math.min(tickMs, request.timeoutMs)) : undefined;
    const onAbort = () => remove() && finish({ messages: [], timed_out: false });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
