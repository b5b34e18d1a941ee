import type { BandClient } from "../band/http.js";
import { cursorPages } from "../band/pages.js";
import type { Logger } from "../log.js";
import type { Claims, Outcome } from "./claims.js";
import { InboxOffError } from "./errors.js";
import type { Inbox } from "./inbox.js";
import type { BandLink } from "./link.js";
import type { InboxMessage, LiveInbox, StatusReport, WaitOptions, WaitResult } from "./live.js";
import type { Rooms } from "./rooms.js";
import type { Handout } from "./wait.js";

/** What a consumer adds to its view of the inbox. */
export interface ViewHooks {
  /**
   * Sees each message handed to this view, before its consumer does. True: the hook consumed it (the permission
   * relay's approver answers); the view marks it processed on Band and neither returns nor pushes it.
   */
  intercept?(message: InboxMessage): boolean;
  /**
   * One consumer among several sharing the inbox (an HTTP session, a hub sync send): its hand-outs are its own,
   * `inFlight` lists only those, and `close` ends its waits and gives back what Band still has unprocessed.
   */
  owned?: boolean;
}

/** The live parts a view works on; the live service hands the same ones to every view. */
export interface ViewParts {
  inbox: Inbox;
  claims: Claims;
  rooms: Rooms;
  link: BandLink;
  band: BandClient;
  log: Logger;
  status(): StatusReport;
}

/** Unprocessed pages read per chat when a closing view checks what to give back. */
const CHECK_PAGES = 10;

/**
 * A consumer's door to the live inbox: a stdio session's tools and channel pushes, an HTTP session, a hub sync
 * send. Every hand-out goes through one: taken from the queue, claimed on Band for this view, then shown.
 */
export class InboxView implements LiveInbox {
  readonly #closed: AbortController | undefined;
  readonly #owner: InboxView | undefined;
  #pushing = false;

  constructor(
    private readonly parts: ViewParts,
    private readonly hooks: ViewHooks = {},
  ) {
    this.#owner = hooks.owned ? this : undefined;
    this.#closed = hooks.owned ? new AbortController() : undefined;
  }

  /** Hands out messages (waiting for them if need be), claims them for this view, then lets the hook see them. */
  async wait(options: WaitOptions): Promise<WaitResult> {
    const { link, rooms, inbox, claims } = this.parts;
    if (link.connection === "conflict" || link.connection === "unauthorized") throw new InboxOffError(link.connection, link.detail, link.standby);
    if (options.chatId !== undefined) await rooms.ensure(options.chatId, options.signal);
    const either = this.#closed ? eitherAborts(options.signal, this.#closed.signal) : undefined;
    const signal = either?.signal ?? options.signal;
    let handout: Handout;
    try {
      handout = await inbox.wait(either ? { ...options, signal } : options);
    } finally {
      either?.unlink();
    }
    claims.claim(handout.messages, this.#owner);
    if (this.#closed && signal.aborted) {
      // Handed out in the instant the view or the request closed: nobody will read the answer.
      inbox.requeue(claims.release(handout.messages));
      return { ...handout, messages: [], pending: inbox.pending };
    }
    const messages = this.hooks.intercept ? handout.messages.filter((m) => !this.#intercepted(m)) : handout.messages;
    return { ...handout, messages, pending: inbox.pending };
  }

  /**
   * Pushes each message no blocked wait takes, as it arrives, claimed for this view first (channel mode). One
   * push consumer per inbox: a later view's push replaces an earlier one's.
   */
  push(deliver: (message: InboxMessage) => void): void {
    const { inbox, claims } = this.parts;
    this.#pushing = true;
    inbox.setSink((messages) => {
      claims.claim(messages, this.#owner);
      for (const message of messages) if (!this.hooks.intercept || !this.#intercepted(message)) deliver(message);
    });
  }

  peek(chatId?: string): InboxMessage[] {
    return this.parts.inbox.peek(chatId);
  }

  /** Handed out and not yet settled: this view's own when it is owned, else all of the inbox's. */
  inFlight(chatId?: string): InboxMessage[] {
    return this.parts.claims.list(chatId, this.#owner);
  }

  status(): StatusReport {
    return this.parts.status();
  }

  markProcessed(chatId: string, messageId: string, signal?: AbortSignal) {
    return this.#settle(chatId, messageId, { status: "processed" }, signal);
  }

  markFailed(chatId: string, messageId: string, error: string, signal?: AbortSignal) {
    return this.#settle(chatId, messageId, { status: "failed", error }, signal);
  }

  /**
   * Stops this view's pushes and ends its waits. An owned view gives its unsettled hand-outs to the other
   * consumers, in order, unless the process is exiting anyway: only those Band still lists as unprocessed
   * (someone may have marked them meanwhile).
   */
  async close(options: { requeue: boolean } = { requeue: true }): Promise<void> {
    if (this.#pushing) this.parts.inbox.setSink(undefined);
    this.#pushing = false;
    if (!this.#closed || this.#closed.signal.aborted) return;
    this.#closed.abort();
    const { claims, inbox, band, log } = this.parts;
    const messages = claims.list(undefined, this);
    if (!options.requeue || messages.length === 0) return;
    const open = await stillUnprocessed(band, log, messages);
    inbox.requeue(claims.release(messages.filter((m) => open.has(m.id))));
  }

  #intercepted(message: InboxMessage): boolean {
    if (!this.hooks.intercept!(message)) return false;
    this.markProcessed(message.chat_id, message.id).catch((error: unknown) => this.parts.log.warn(`could not mark message ${message.id} processed`, { error: String(error) }));
    return true;
  }

  #settle(chatId: string, messageId: string, outcome: Outcome, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    const { claims, inbox } = this.parts;
    // Marked while still queued here: it is settled, so nobody else is handed it. (A message in flight is not
    // queued: skipping the look-up keeps a mark O(1) under a full inbox.)
    if (!claims.has(messageId)) inbox.settleQueued(messageId, chatId);
    return claims.settle(chatId, messageId, outcome, signal);
  }
}

/**
 * A signal that aborts when either one does, followed only until `unlink` (the wait's end). Not AbortSignal.any:
 * each of its signals is tied to its sources through WeakRefs, which V8's young-generation collections keep
 * alive, so every wait's signals (and the request's) were copied and promoted to the old generation: 7-8 % of
 * what each scavenge copied in a busy hub.
 */
function eitherAborts(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; unlink(): void } {
  const either = new AbortController();
  const fromA = () => either.abort(a.reason);
  const fromB = () => either.abort(b.reason);
  if (a.aborted) fromA();
  else if (b.aborted) fromB();
  else {
    a.addEventListener("abort", fromA, { once: true });
    b.addEventListener("abort", fromB, { once: true });
  }
  return {
    signal: either.signal,
    unlink() {
      a.removeEventListener("abort", fromA);
      b.removeEventListener("abort", fromB);
    },
  };
}

/** The ids among `messages` that Band still lists as unprocessed; when Band cannot say, all of them (never lose one). */
async function stillUnprocessed(band: BandClient, log: Logger, messages: InboxMessage[]): Promise<Set<string>> {
  const open = new Set<string>();
  for (const chatId of new Set(messages.map((m) => m.chat_id))) {
    const missing = new Set(messages.filter((m) => m.chat_id === chatId).map((m) => m.id));
    try {
      let unread = false;
      let pages = 0;
      // Band lists a chat's unprocessed messages oldest first; ours were handed out first, so they come early.
      for await (const page of cursorPages(band, "listAgentMessages", chatId)) {
        for (const raw of page.items) if (missing.delete(raw.id)) open.add(raw.id);
        unread = page.hasMore;
        if (++pages >= CHECK_PAGES || missing.size === 0) break;
      }
      // Pages left unread: Band did not say, so keep them.
      if (unread) for (const id of missing) open.add(id);
    } catch (error) {
      log.warn(`could not check chat ${chatId} on Band before requeueing; requeueing anyway`, { error: String(error) });
      for (const id of missing) open.add(id);
    }
  }
  return open;
}
