import type { Agent as HttpAgent } from "node:http";
import type { BandClient } from "../band/http.js";
import type { Participants } from "../band/participants.js";
import { DEFAULT_DELIVERY, type DeliverySettings, type Secret } from "../config.js";
import { Listeners } from "../listeners.js";
import type { Logger } from "../log.js";
import type { LiveEvent } from "../realtime/events.js";
import { Claims } from "./claims.js";
import { Control } from "./control.js";
import { LoopGuard } from "./loop-guard.js";
import { Inbox } from "./inbox.js";
import { BandLink } from "./link.js";
import type { InboxMessage, StatusReport } from "./live.js";
import { Resync } from "./resync.js";
import { Rooms } from "./rooms.js";
import { InboxView, type ViewHooks, type ViewParts } from "./view.js";

export interface LiveServiceOptions {
  band: BandClient;
  participants: Participants;
  wsUrl: string;
  key: Secret;
  /** The setting that holds the key, reported when Band rejects it. */
  keyVariable: string;
  capacity: number;
  /** The inbox's bound in bytes, besides its bound in messages. */
  maxBytes: number;
  log: Logger;
  version: string;
  socketAgent?: HttpAgent;
  heartbeatIntervalMs?: number;
  /** Backoff of socket reconnects and of failed backlog drains. */
  reconnect?: { baseMs: number; maxMs: number };
  /** How often a blocked wait reports progress. */
  tickMs?: number;
  /** Between two rooms of a resync sweep (the cost bound's 1 s unless a test says otherwise). */
  resyncPaceMs?: number;
  /** Standby, resync, loop guard and claim timeout (docs/delivery.md guarantees 5, 11, 12, 13). */
  delivery?: Partial<DeliverySettings>;
}

/** What counts as the agent's own activity in a chat (guarantee 13). */
const ACTIVITY_OPERATIONS: ReadonlySet<string> = new Set(["createAgentChatMessage", "createAgentChatEvent", "reportAgentChatActivity"]);

/**
 * The live half of the product, as one front object over its parts: the link to Band (identity and socket),
 * the rooms and their backlog drains, the inbox and its waits, the claims on Band, and Band's agent.control.
 */
export class LiveService {
  readonly #closed = new AbortController();
  readonly #inbox: Inbox;
  readonly #claims: Claims;
  readonly #rooms: Rooms;
  readonly #link: BandLink;
  readonly #control: Control;
  readonly #resync: Resync;
  readonly #loopGuard: LoopGuard;
  readonly #status = new Listeners<[]>();
  readonly #roomsChanged = new Listeners<[]>();
  readonly #chatMessage = new Listeners<[chatId: string]>();
  readonly #parts: ViewParts;
  /** The inbox as the process's own consumer sees it (no hooks): tools over stdio, resources, `watch`. */
  readonly inbox: InboxView;

  constructor(private readonly options: LiveServiceOptions) {
    const { band, log } = options;
    const closed = this.#closed.signal;
    const onStatus = () => this.#status.emit();
    const reconnect = options.reconnect ?? { baseMs: 1_000, maxMs: 30_000 };
    const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    this.#inbox = new Inbox({ capacity: options.capacity, maxBytes: options.maxBytes, ...(options.tickMs ? { tickMs: options.tickMs } : {}) });
    this.#claims = new Claims(band, log, closed, onStatus, {
      ms: delivery.claimTimeoutSeconds * 1000,
      // Back in front of the queue, in order, as a redelivery: the next hand-out claims it again (attempt n+1).
      onExpired: (messages) => this.#inbox.requeue(messages.map((m) => ({ ...m, attempt: (m.attempt ?? 1) + 1 }))),
    });
    this.#loopGuard = new LoopGuard(delivery.loopLimit, this.#inbox, onStatus);
    this.#control = new Control(this.#inbox, log, onStatus, (roomId) => (roomId === undefined ? this.#loopGuard.releaseAll() : this.#loopGuard.release(roomId)));
    this.#link = new BandLink({
      ...options,
      reconnect,
      standbyMaxMs: delivery.standbySeconds * 1000,
      closed,
      onState: (state) => {
        if (state === "connected") {
          void this.#rooms.refresh();
          this.#resync.start();
        } else this.#resync.stop();
        // Blocked waits cannot be served any more: release them rather than let them time out.
        if (state === "conflict" || state === "unauthorized") this.#inbox.releaseAll();
        onStatus();
      },
      onJoined: (kind, id) => {
        if (kind === "room") this.#rooms.joined(id);
        onStatus();
      },
      onEvent: (event) => this.#onEvent(event),
    });
    this.#rooms = new Rooms({
      band,
      participants: options.participants,
      inbox: this.#inbox,
      log,
      agentId: () => this.#link.agent?.id,
      join: (id) => {
        this.#link.join("room", id);
        this.#link.join("participants", id);
      },
      leave: (id) => {
        this.#link.leave("room", id);
        this.#link.leave("participants", id);
        this.#control.forget(id);
        this.#loopGuard.forget(id);
      },
      onRoomsChanged: () => this.#roomsChanged.emit(),
      onChatMessage: (chatId) => {
        this.#resync.pushed();
        this.#chatMessage.emit(chatId);
      },
      onStatusChanged: onStatus,
      admit: (message) => this.#loopGuard.admit(message),
      retry: reconnect,
      closed,
    });
    this.#resync = new Resync({
      idleMs: delivery.resyncSeconds * 1000,
      ...(options.resyncPaceMs ? { paceMs: options.resyncPaceMs } : {}),
      rooms: () => this.#rooms.ids(),
      check: (id) => this.#rooms.resync(id),
    });
    // Overflowed rooms drain again once the inbox is below half full: nothing dropped stays undelivered.
    this.#inbox.changed.on(() => this.#inbox.hasRoom() && this.#rooms.recover());
    this.#parts = { inbox: this.#inbox, claims: this.#claims, rooms: this.#rooms, link: this.#link, band, log, status: () => this.status() };
    this.inbox = new InboxView(this.#parts);
  }

  /** Chats whose queued messages changed. */
  onInboxChanged(listener: (chatIds: ReadonlySet<string>) => void): () => void {
    return this.#inbox.changed.on(listener);
  }

  /** Each message that reaches the inbox, once per process (for `watch`). */
  onArrival(listener: (message: InboxMessage) => void): () => void {
    return this.#inbox.arrived.on(listener);
  }

  onStatusChanged(listener: () => void): () => void {
    return this.#status.on(listener);
  }

  /** Rooms joined or left. */
  onRoomsChanged(listener: () => void): () => void {
    return this.#roomsChanged.on(listener);
  }

  /** A message arrived in a chat (for transcript subscriptions). */
  onChatMessage(listener: (chatId: string) => void): () => void {
    return this.#chatMessage.on(listener);
  }

  /** Messages handed to a model (a wait's answer or a push), just claimed: for metrics. */
  onHandedOut(listener: (messages: readonly InboxMessage[]) => void): () => void {
    return this.#claims.handedOut.on(listener);
  }

  start(): Promise<void> {
    return this.#link.start();
  }

  async close(): Promise<void> {
    this.#closed.abort();
    this.#resync.stop();
    this.#inbox.releaseAll();
    await this.#link.close();
  }

  status(): StatusReport {
    const { connection } = this.#link;
    const claims = this.#claims.failures ? `${this.#claims.failures} claim(s) failed at Band and were logged` : undefined;
    const detail = [this.#link.detail, this.#control.detail(), ...this.#rooms.problems(), claims].filter(Boolean).join("; ");
    const inbox = this.#inbox;
    const loopHolds = this.#loopGuard.holds();
    return {
      ok: connection === "connected",
      agent: this.#link.agent,
      connection,
      chats_joined: this.#rooms.ids().filter((id) => this.#link.isJoined("room", id)).length,
      inbox: { pending: inbox.pending, in_flight: this.#claims.size, delivered_total: inbox.deliveredTotal, dropped: inbox.dropped },
      reconnects: this.#link.reconnects,
      last_event_at: this.#link.lastEventAt,
      version: this.options.version,
      ...(this.#link.standby ? { standby: this.#link.standby } : {}),
      ...(loopHolds.length > 0 ? { loop_guard: loopHolds } : {}),
      ...(this.#link.problem ? { problem: this.#link.problem } : {}),
      ...(detail ? { detail } : {}),
    };
  }

  /** How many waits are blocked right now. */
  get waiting(): number {
    return this.#inbox.waiting;
  }

  /** Whether rooms() is complete: the room list has been read from Band at least once. */
  get roomsListed(): boolean {
    return this.#rooms.listed;
  }

  /** Known rooms, for resource listings. */
  rooms(): { id: string; title?: string }[] {
    return this.#rooms.list();
  }

  /**
   * A new door to the inbox for one consumer with its own hooks (a session that owns its hand-outs, the
   * permission relay's interceptor); `inbox` is the door without hooks.
   */
  view(hooks?: ViewHooks): InboxView {
    return new InboxView(this.#parts, hooks);
  }

  /**
   * A REST call succeeded on the agent's key: a message, an event or an activity report in a chat is the agent at
   * work there, so its hand-outs in that chat are not redelivered meanwhile (docs/delivery.md guarantee 13).
   */
  noteCall(operation: string, path: Record<string, string | number> | undefined): void {
    if (ACTIVITY_OPERATIONS.has(operation) && path?.chat_id !== undefined) this.#claims.touch(String(path.chat_id));
  }

  #onEvent(event: LiveEvent): void {
    if (event.type === "agent_control") return this.#control.apply(event);
    // Our own message seen on the socket (another process of ours, or Band echoing it): activity in that chat.
    if (event.type === "message_created" && event.message.sender_id === this.#link.agent?.id) this.#claims.touch(event.roomId);
    if (event.type !== "message_updated") return this.#rooms.apply(event);
    // Band's delivery status for us: settled elsewhere while queued here → it leaves; else note the attempt.
    const mine = this.#link.agent ? event.deliveries[this.#link.agent.id] : undefined;
    if (mine?.status === "processed") this.#inbox.withdraw(event.messageId, event.roomId);
    else if (mine?.attempt !== undefined) this.#inbox.annotate(event.messageId, mine.attempt);
  }
}
