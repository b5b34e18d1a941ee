import type { Agent as HttpAgent } from "node:http";
import type { BandClient } from "../band/http.js";
import type { Participants } from "../band/participants.js";
import { DEFAULT_DELIVERY, type DeliverySettings, type Secret } from "../config.js";
import type { Logger } from "../log.js";
import { Claims } from "./claims.js";
import { Control } from "./control.js";
import { CoreEvents, STATUS } from "./events.js";
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
 * The live half of the product: builds its parts on one event line — the link to Band (identity and socket),
 * the rooms with their backlog drains, resync, Band's agent.control and the loop guard, the queue, and the claims
 * on Band — then starts, stops and reports on them. Consumers reach the inbox through views.
 */
export class LiveService {
  readonly #closed = new AbortController();
  readonly #events = new CoreEvents();
  readonly #inbox: Inbox;
  readonly #claims: Claims;
  readonly #rooms: Rooms;
  readonly #link: BandLink;
  readonly #control: Control;
  readonly #resync: Resync;
  readonly #loopGuard: LoopGuard;
  readonly #parts: ViewParts;
  /** The inbox as the process's own consumer sees it (no hooks): tools over stdio, resources, `watch`. */
  readonly inbox: InboxView;

  constructor(private readonly options: LiveServiceOptions) {
    const { band, log, participants } = options;
    const events = this.#events;
    const closed = this.#closed.signal;
    const reconnect = options.reconnect ?? { baseMs: 1_000, maxMs: 30_000 };
    const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    // Built from the socket down to the queue; each part subscribes to the events it acts on, in this order.
    const inbox = (this.#inbox = new Inbox({ capacity: options.capacity, maxBytes: options.maxBytes, ...(options.tickMs ? { tickMs: options.tickMs } : {}) }));
    const link = (this.#link = new BandLink({ ...options, reconnect, standbyMaxMs: delivery.standbySeconds * 1000, closed, events }));
    const claims = (this.#claims = new Claims({ band, log, closed, events, queue: inbox, self: link, timeoutMs: delivery.claimTimeoutSeconds * 1000 }));
    const loopGuard = (this.#loopGuard = new LoopGuard(delivery.loopLimit, inbox, events));
    const rooms = (this.#rooms = new Rooms({ band, participants, inbox, link, loopGuard, events, log, retry: reconnect, closed }));
    this.#resync = new Resync({ idleMs: delivery.resyncSeconds * 1000, ...(options.resyncPaceMs ? { paceMs: options.resyncPaceMs } : {}), rooms, events });
    this.#control = new Control(inbox, loopGuard, log, events);
    events.on("connection", (event) => {
      // Blocked waits cannot be served any more: release them rather than let them time out.
      if (event.state === "conflict" || event.state === "unauthorized") inbox.releaseAll();
      events.emit(STATUS);
    });
    events.on("joined", () => events.emit(STATUS));
    this.#parts = { inbox, claims, rooms, link, band, log, status: () => this.status() };
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

  /** Anything band_status reports changed (the connection, rooms joined, counts, holds). */
  onStatusChanged(listener: () => void): () => void {
    return this.#events.on("status", listener);
  }

  /** Rooms joined or left. */
  onRoomsChanged(listener: () => void): () => void {
    return this.#events.on("rooms_changed", listener);
  }

  /** A message arrived in a chat (for transcript subscriptions). */
  onChatMessage(listener: (chatId: string) => void): () => void {
    return this.#events.on("message_created", (event) => listener(event.roomId));
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

  /** The socket's state alone: cheap enough for a listener called on every status change. */
  get connection(): StatusReport["connection"] {
    return this.#link.connection;
  }

  status(): StatusReport {
    const { connection } = this.#link;
    const inbox = this.#inbox;
    const loopHolds = this.#loopGuard.holds();
    const stopped = this.#control.stopped();
    const drainFailures = this.#rooms.drainFailures();
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
      ...(stopped ? { stopped } : {}),
      ...(drainFailures.length > 0 ? { drain_failures: drainFailures } : {}),
      ...(this.#claims.failures > 0 ? { claim_failures: this.#claims.failures } : {}),
      ...(this.#link.detail ? { detail: this.#link.detail } : {}),
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
}
