import type { BandClient } from "../band/http.js";
import { cursorPages } from "../band/pages.js";
import type { Logger } from "../log.js";
import type { InboxMessage, LiveInbox, StatusReport, WaitOptions, WaitResult } from "./live.js";

/** What a session needs from the shared inbox: the LiveInbox, plus putting messages back. */
export interface SharedInbox extends LiveInbox {
  requeue(messages: InboxMessage[]): void;
}

const CHECK_PAGES = 10;

/**
 * One MCP session's view of the shared inbox (HTTP mode, where many sessions compete for one inbox). It
 * remembers what it handed out and not yet acknowledged, so that closing the session releases its waits and
 * gives those messages to the other sessions instead of leaving them claimed by a client that is gone.
 */
export class SessionInbox implements LiveInbox {
  readonly #unacknowledged = new Map<string, InboxMessage>();
  readonly #closed = new AbortController();

  constructor(
    private readonly shared: SharedInbox,
    /** Asked, at close, which of this session's messages Band still has unprocessed. */
    private readonly band: BandClient | undefined,
    private readonly log: Logger,
  ) {}

  async wait(options: WaitOptions): Promise<WaitResult> {
    const signal = AbortSignal.any([options.signal, this.#closed.signal]);
    const result = await this.shared.wait({ ...options, signal });
    if (signal.aborted) {
      // Handed out in the instant the session or the request closed: nobody will read the answer.
      this.shared.requeue(result.messages);
      return { ...result, messages: [] };
    }
    for (const message of result.messages) this.#unacknowledged.set(message.id, message);
    return result;
  }

  peek(chatId?: string): InboxMessage[] {
    return this.shared.peek(chatId);
  }

  /** This session's share: what it was handed and has not marked. */
  inFlight(chatId?: string): InboxMessage[] {
    const messages = [...this.#unacknowledged.values()];
    return chatId === undefined ? messages : messages.filter((m) => m.chat_id === chatId);
  }

  status(): StatusReport {
    return this.shared.status();
  }

  async markProcessed(chatId: string, messageId: string, signal?: AbortSignal) {
    const marked = await this.shared.markProcessed(chatId, messageId, signal);
    this.#unacknowledged.delete(messageId);
    return marked;
  }

  async markFailed(chatId: string, messageId: string, error: string, signal?: AbortSignal) {
    const marked = await this.shared.markFailed(chatId, messageId, error, signal);
    this.#unacknowledged.delete(messageId);
    return marked;
  }

  /**
   * Releases this session's waits and, unless the process is exiting anyway, puts its unacknowledged messages
   * back for other sessions: only those Band still lists as unprocessed (someone may have marked them meanwhile).
   */
  async close(options: { requeue: boolean } = { requeue: true }): Promise<void> {
    if (this.#closed.signal.aborted) return;
    this.#closed.abort();
    const messages = [...this.#unacknowledged.values()];
    this.#unacknowledged.clear();
    if (!options.requeue || messages.length === 0) return;
    const open = await this.#stillUnprocessed(messages);
    this.shared.requeue(messages.filter((m) => open.has(m.id)));
  }

  /** The ids among `messages` that Band still lists as unprocessed; when Band cannot say, all of them (never lose one). */
  async #stillUnprocessed(messages: InboxMessage[]): Promise<Set<string>> {
    const open = new Set<string>();
    for (const chatId of new Set(messages.map((m) => m.chat_id))) {
      const missing = new Set(messages.filter((m) => m.chat_id === chatId).map((m) => m.id));
      try {
        if (!this.band) throw new Error("no agent client");
        let unread = false;
        let pages = 0;
        // Band lists a chat's unprocessed messages oldest first; ours were handed out first, so they come early.
        for await (const page of cursorPages(this.band, "listAgentMessages", chatId)) {
          for (const raw of page.items) if (missing.delete(raw.id)) open.add(raw.id);
          unread = page.hasMore;
          if (++pages >= CHECK_PAGES || missing.size === 0) break;
        }
        // Pages left unread: Band did not say, so keep them.
        if (unread) for (const id of missing) open.add(id);
      } catch (error) {
        this.log.warn(`could not check chat ${chatId} on Band before requeueing; requeueing anyway`, { error: String(error) });
        for (const id of missing) open.add(id);
      }
    }
    return open;
  }
}
