import { setImmediate as nextTurn } from "node:timers/promises";
import { BandApiError, type BandClient } from "../band/http.js";
import { Listeners } from "../listeners.js";
import type { Logger } from "../log.js";
import { STATUS, type CoreEvents } from "./events.js";
import type { Inbox } from "./inbox.js";
import type { InboxMessage } from "./live.js";

export type Outcome = { status: "processed" } | { status: "failed"; error: string };

/**
 * Marks a message processed or failed on Band. Band needs an open processing attempt (422 otherwise), so a
 * message nobody claimed yet — never handed out here, or its claim never landed — is claimed first and marked
 * again. `claimed`: an attempt we opened is known to be open; then a 422 after retries means our first try
 * landed. Used by the live inbox and by the tools-only path alike.
 */
export async function markWithClaim(band: BandClient, chatId: string, messageId: string, outcome: Outcome, signal: AbortSignal | undefined, claimed = false): Promise<{ id: string; status: string }> {
  const path = { chat_id: chatId, id: messageId };
  const mark = async () => {
    const { data } =
      outcome.status === "processed"
        ? await band.call("markAgentMessageProcessed", { path, signal, idempotent: true })
        : await band.call("markAgentMessageFailed", { path, body: { error: outcome.error }, signal, idempotent: true });
    return { id: data.id, status: data.status };
  };
  try {
    return await mark();
  } catch (error) {
    if (!(error instanceof BandApiError && error.status === 422)) throw error;
    if (claimed && error.retries > 0) return { id: messageId, status: outcome.status };
  }
  await band.call("markAgentMessageProcessing", { path, signal, idempotent: true });
  try {
    return await mark();
  } catch (error) {
    // Our claim just opened an attempt: a retried mark that finds none was settled by its first try.
    if (error instanceof BandApiError && error.status === 422 && error.retries > 0) return { id: messageId, status: outcome.status };
    throw error;
  }
}

export interface ClaimsOptions {
  band: BandClient;
  log: Logger;
  /** Aborted on shutdown: claims still retrying stop. */
  closed: AbortSignal;
  events: CoreEvents;
  /** Where expired hand-outs go back to. */
  queue: Inbox;
  /** Who the agent is (its own messages on the socket are its activity). */
  self: { readonly agent: { id: string } | null };
  /** The visibility timeout (docs/delivery.md guarantee 13): how long a hand-out may stay unsettled. */
  timeoutMs: number;
}

/**
 * The messages handed out and not yet settled, each with its claim on Band (`/processing`). A claim is one
 * call: the REST client is the one layer that retries, so a claim costs at most that call's attempts.
 * A hand-out unsettled for `timeoutMs` since it was handed out, or since the agent's last activity in its chat,
 * expires back to the queue, as a redelivery: one unref'd timer per agent, armed for the earliest deadline
 * (batched by a twentieth of the timeout).
 */
export class Claims {
  /**
   * Handed out and not settled, in hand-out order, each with whether its claim landed, when it went out, and the
   * consumer that holds it when that consumer is one of several (an HTTP session).
   */
  readonly #inFlight = new Map<string, { message: InboxMessage; claim: Promise<boolean>; at: number; owner: object | undefined }>();
  /** The agent's last activity per chat (a message, an event, an activity report). */
  readonly #activity = new Map<string, number>();
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Messages handed to a model (a wait's answer or a push), just claimed: for metrics. */
  readonly handedOut = new Listeners<[messages: readonly InboxMessage[]]>();

  constructor(private readonly options: ClaimsOptions) {
    // Our own message seen on the socket (another process of ours, or Band echoing it): activity in that chat.
    options.events.on("message_created", (event) => {
      if (event.message.sender_id === options.self.agent?.id) this.touch(event.roomId);
    });
  }

  get size(): number {
    return this.#inFlight.size;
  }

  get failures(): number {
    return this.#failures;
  }

  /**
   * Claims handed-out messages on Band, for `owner` when given; a claim that never lands is logged and counted for
   * band_status. They are in flight at once; their requests to Band, and the observers, wait for the loop's next
   * turn: the hand-out's answer, written in this one, leaves first (push → delivery is the figure that counts).
   */
  claim(messages: readonly InboxMessage[], owner?: object): void {
    if (messages.length === 0) return;
    const at = Date.now();
    const turn = nextTurn();
    for (const message of messages) this.#inFlight.set(message.id, { message, claim: turn.then(() => this.#claimOne(message)), at, owner });
    if (!this.#timer) this.#arm(this.options.timeoutMs);
    this.options.events.emit(STATUS);
    void turn.then(() => this.handedOut.emit(messages));
  }

  /** The agent acted in a chat: its hand-outs there are being worked on, so their clock restarts. */
  touch(chatId: string): void {
    this.#activity.set(chatId, Date.now());
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), delayMs);
    this.#timer.unref();
  }

  /** Hands back what expired; re-arms for the next deadline while anything is in flight. */
  #expire(): void {
    this.#timer = undefined;
    const { closed, log, queue, events, timeoutMs: ms } = this.options;
    if (closed.aborted) return;
    const now = Date.now();
    const expired: InboxMessage[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.#inFlight) {
      const due = Math.max(entry.at, this.#activity.get(entry.message.chat_id) ?? 0) + ms;
      if (due > now) next = Math.min(next, due);
      else {
        this.#inFlight.delete(id);
        expired.push(entry.message);
      }
    }
    for (const [chatId, at] of this.#activity) if (at + ms <= now) this.#activity.delete(chatId);
    if (this.#inFlight.size > 0) this.#arm(Math.max(next - now, ms / 20));
    if (expired.length === 0) return;
    log.info(`${expired.length} handed-out message(s) unsettled for ${Math.round(ms / 1000)} s go back to the queue`);
    // In front of the queue, in order, as a redelivery: the next hand-out claims it again (attempt n+1).
    queue.requeue(expired.map((m) => ({ ...m, attempt: (m.attempt ?? 1) + 1 })));
    events.emit(STATUS);
  }

  async #claimOne(message: InboxMessage): Promise<boolean> {
    try {
      // No abort signal: one long-lived signal shared by hundreds of claims in flight is a listener leak, and on
      // shutdown the closed dispatcher ends them anyway.
      await this.options.band.call("markAgentMessageProcessing", { path: { chat_id: message.chat_id, id: message.id }, idempotent: true });
      return true;
    } catch (error) {
      if (this.options.closed.aborted) return false;
      this.#failures++;
      this.options.log.warn(`could not claim message ${message.id} in chat ${message.chat_id}`, { error: String(error) });
      this.options.events.emit(STATUS);
      return false;
    }
  }

  /** The messages in flight (of one chat, held by one owner, when given), oldest hand-out first. */
  list(chatId?: string, owner?: object): InboxMessage[] {
    const messages: InboxMessage[] = [];
    for (const entry of this.#inFlight.values()) {
      if ((chatId === undefined || entry.message.chat_id === chatId) && (owner === undefined || entry.owner === owner)) messages.push(entry.message);
    }
    return messages;
  }

  has(id: string): boolean {
    return this.#inFlight.has(id);
  }

  /**
   * Stops tracking messages put back in the inbox; returns those that were in flight here. Only the very hand-out
   * counts: a stale copy of one that expired and went out again is not released twice.
   */
  release(messages: readonly InboxMessage[]): InboxMessage[] {
    return messages.filter((m) => this.#inFlight.get(m.id)?.message === m && this.#inFlight.delete(m.id));
  }

  /**
   * Marks a message, after its own claim when it has one in flight. A mark that got no final answer (no answer,
   * 429, 5xx, cancelled) may not have landed: the hand-out stays in flight, so the model can mark it again, and
   * if nobody does, the visibility timeout hands it out again rather than leaving it claimed on Band for good.
   */
  async settle(chatId: string, messageId: string, outcome: Outcome, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    const entry = this.#inFlight.get(messageId);
    const claimed = entry ? await entry.claim : false;
    try {
      const marked = await markWithClaim(this.options.band, chatId, messageId, outcome, signal, claimed);
      this.#settled(messageId);
      return marked;
    } catch (error) {
      if (isFinalRefusal(error)) this.#settled(messageId);
      throw error;
    }
  }

  #settled(messageId: string): void {
    this.#inFlight.delete(messageId);
    this.options.events.emit(STATUS);
  }
}

/** Band's own no (a 4xx other than 429): marking again would bring the same answer. */
function isFinalRefusal(error: unknown): boolean {
  return error instanceof BandApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}
