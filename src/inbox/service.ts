import { EventEmitter } from "node:events";
import type { Agent as HttpAgent } from "node:http";
import { BandApiError, sleep, type BandClient } from "../band/http.js";
import type { Participants } from "../band/participants.js";
import type { Secret } from "../config.js";
import { ToolError } from "../errors.js";
import type { Logger } from "../log.js";
import * as events from "../realtime/events.js";
import { BandSocket, jitteredBackoff, type SocketState } from "../realtime/socket.js";
import { Inbox } from "./inbox.js";
import type { ConnectionState, InboxMessage, LiveInbox, StatusReport, WaitOptions, WaitResult } from "./live.js";
import { fetchBacklog, isForAgent, toInboxMessage } from "./sync.js";

export interface LiveServiceOptions {
  band: BandClient;
  participants: Participants;
  wsUrl: string;
  key: Secret;
  capacity: number;
  log: Logger;
  version: string;
  socketAgent?: HttpAgent;
  heartbeatIntervalMs?: number;
  reconnect?: { baseMs: number; maxMs: number };
}

interface Room {
  id: string;
  title?: string;
  /** syncing: pushes are held until the backlog drain merges them in order; gap: the inbox overflowed. */
  state: "syncing" | "live" | "gap";
  held: events.BandMessage[];
  draining: boolean;
  drainAgain: boolean;
}

interface InFlight {
  chatId: string;
  /** Resolves to whether the claim landed on Band. */
  claim: Promise<boolean>;
}

const ROOM_EVENTS = ["message_created"] as const;
const PARTICIPANT_EVENTS = ["participant_added", "participant_removed", "room_deleted"] as const;
const TICK_MS = 5_000;

/**
 * The live half of the product: one Band socket, the backlog drains, the inbox and the claims on Band.
 * Emits "inbox" (chat ids whose pending list changed), "status", "rooms" (joined or left) and "chat" (a message
 * arrived in a chat).
 */
export class LiveService extends EventEmitter implements LiveInbox {
  readonly #rooms = new Map<string, Room>();
  readonly #inFlight = new Map<string, InFlight>();
  readonly #inbox: Inbox;
  #socket: BandSocket | undefined;
  #agent: { id: string; name: string; handle: string } | null = null;
  #connection: ConnectionState = "connecting";
  #detail: string | undefined;
  #lastEventAt: string | null = null;
  #closed = false;
  #claimFailures = 0;
  /** Whether the room list has been read once: until then an unknown chat id may just not be known yet. */
  #roomsListed = false;

  constructor(private readonly options: LiveServiceOptions) {
    super();
    this.#inbox = new Inbox(options.capacity, (chatIds, handedOut) => this.#onInboxChange(chatIds, handedOut));
  }

  /** Resolves once the agent is known and the socket is connecting; joins and drains continue in the background. */
  async start(): Promise<void> {
    const first = await this.#identify();
    if (first === "ok") return this.#openSocket();
    if (first === "fatal") return;
    // Band is unreachable: keep trying in the background; the server (and its REST tools) must not wait for it.
    void (async () => {
      for (let attempt = 2; !this.#closed; attempt++) {
        await sleep(jitteredBackoff(attempt, 1_000, 30_000));
        const outcome = await this.#identify();
        if (outcome === "ok") return this.#openSocket();
        if (outcome === "fatal") return;
      }
    })();
  }

  /** Learns who we are (topics are named by agent id); a rejected key is final, anything else is retried. */
  async #identify(): Promise<"ok" | "retry" | "fatal"> {
    try {
      const { data } = await this.options.band.call("getAgentMe");
      this.#agent = { id: data.id, name: data.name, handle: data.handle };
      return "ok";
    } catch (error) {
      if (error instanceof BandApiError && (error.status === 401 || error.status === 403)) {
        this.#setConnection("unauthorized", `Band rejected the agent key (${error.status}); set BAND_API_KEY to a valid agent key and restart`);
        return "fatal";
      }
      this.#setConnection("connecting", `cannot reach Band yet: ${error instanceof Error ? error.message : String(error)}`);
      return "retry";
    }
  }

  #openSocket(): void {
    if (this.#closed || !this.#agent) return;
    const agentId = this.#agent.id;
    this.#socket = new BandSocket({
      wsUrl: this.options.wsUrl,
      key: this.options.key,
      agentId,
      log: this.options.log,
      ...(this.options.socketAgent ? { agent: this.options.socketAgent } : {}),
      ...(this.options.heartbeatIntervalMs ? { heartbeatIntervalMs: this.options.heartbeatIntervalMs } : {}),
      ...(this.options.reconnect ? { reconnect: this.options.reconnect } : {}),
      handlers: {
        onState: (state, detail) => this.#onSocketState(state, detail),
        onJoined: (topic) => this.#onJoined(topic),
        onEvent: (topic, event, payload) => this.#onEvent(topic, event, payload),
      },
    });
    this.#socket.join(`agent_control:${agentId}`, ["supersede", "agent.control"]);
    this.#socket.join(`agent_rooms:${agentId}`, ["room_added", "room_removed", "room_deleted"]);
    this.#socket.join(`agent_contacts:${agentId}`, []);
    this.#socket.connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#inbox.releaseAll();
    await this.#socket?.close();
  }

  status(): StatusReport {
    const claims = this.#claimFailures ? `${this.#claimFailures} claim(s) failed at Band and were logged` : undefined;
    const detail = [this.#detail, claims].filter(Boolean).join("; ");
    return {
      ok: this.#connection === "connected",
      agent: this.#agent,
      connection: this.#connection,
      chats_joined: [...this.#rooms.keys()].filter((id) => this.#socket?.isJoined(`chat_room:${id}`)).length,
      inbox: { pending: this.#inbox.pending, in_flight: this.#inFlight.size, delivered_total: this.#inbox.deliveredTotal, dropped: this.#inbox.dropped },
      reconnects: this.#socket?.reconnects ?? 0,
      last_event_at: this.#lastEventAt,
      version: this.options.version,
      ...(detail ? { detail } : {}),
    };
  }

  peek(chatId?: string): InboxMessage[] {
    return this.#inbox.peek(chatId);
  }

  /** Known rooms, for resource listings. */
  rooms(): { id: string; title?: string }[] {
    return [...this.#rooms.values()].map(({ id, title }) => ({ id, ...(title ? { title } : {}) }));
  }

  async wait(options: WaitOptions): Promise<WaitResult> {
    this.#assertUsable();
    if (options.chatId !== undefined) await this.#ensureRoom(options.chatId, options.signal);
    const ready = this.#inbox.take(options.max, options.chatId, options.accept);
    if (ready.length > 0 || options.timeoutMs <= 0) {
      return { messages: ready, timed_out: ready.length === 0, pending: this.#inbox.pending };
    }
    return new Promise((resolve) => {
      const started = Date.now();
      const finish = (messages: InboxMessage[], timedOut: boolean) => {
        clearTimeout(timer);
        clearInterval(ticker);
        options.signal.removeEventListener("abort", onAbort);
        resolve({ messages, timed_out: timedOut, pending: this.#inbox.pending });
      };
      const remove = this.#inbox.addWaiter({
        chatId: options.chatId,
        max: options.max,
        accept: options.accept,
        deliver: (messages) => {
          // A request cancelled at the same moment must not swallow messages: they go back to the queue.
          if (options.signal.aborted) return this.requeue(messages);
          finish(messages, false);
        },
      });
      const timer = setTimeout(() => remove() && finish([], true), options.timeoutMs);
      const onTick = options.onTick;
      const ticker = onTick ? setInterval(() => onTick(Date.now() - started), Math.min(TICK_MS, options.timeoutMs)) : undefined;
      const onAbort = () => remove() && finish([], false);
      options.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * A wait on a chat we have not joined: a room just created (its room_added may still be on the way) is joined
   * now; an id Band does not know is an error at once rather than a wait that can only time out.
   */
  async #ensureRoom(chatId: string, signal: AbortSignal): Promise<void> {
    if (!this.#roomsListed || this.#rooms.has(chatId)) return;
    try {
      const { data } = await this.options.band.call("getAgentChat", { path: { id: chatId }, signal });
      this.#addRoom(data.id, data.title ?? undefined);
    } catch (error) {
      if (error instanceof BandApiError && (error.status === 404 || error.status === 422)) {
        throw new ToolError(`You are not in a chat with id "${chatId}", so no message can arrive from it. Find your chats with band_list_chats.`);
      }
    }
  }

  async markProcessed(chatId: string, messageId: string, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    return this.#mark(chatId, messageId, "markAgentMessageProcessed", undefined, signal);
  }

  async markFailed(chatId: string, messageId: string, error: string, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    return this.#mark(chatId, messageId, "markAgentMessageFailed", { error }, signal);
  }

  /** Puts handed-out, unacknowledged messages back (an HTTP session closed) if Band still has them unprocessed. */
  requeue(messages: InboxMessage[]): void {
    const stillOurs = messages.filter((m) => this.#inFlight.delete(m.id));
    this.#inbox.requeue(stillOurs);
  }

  async #mark(chatId: string, messageId: string, operation: "markAgentMessageProcessed" | "markAgentMessageFailed", body: unknown, signal?: AbortSignal) {
    const inFlight = this.#inFlight.get(messageId);
    // Band needs an open processing attempt: wait for our claim, or claim now for a message we never handed out
    // or whose claim never landed (the 422 rule below is only sound once an attempt is known to be open).
    const claimed = inFlight ? await inFlight.claim : false;
    if (!claimed) {
      if (!inFlight) this.#inbox.take(1, chatId, (m) => m.id === messageId);
      await this.options.band.call("markAgentMessageProcessing", { path: { chat_id: chatId, id: messageId }, signal, idempotent: true });
    }
    try {
      const { data } = await this.options.band.call(operation, { path: { chat_id: chatId, id: messageId }, body, signal, idempotent: true });
      return { id: data.id, status: data.status };
    } catch (error) {
      // A retried mark whose first try landed finds no open attempt: it is done.
      if (error instanceof BandApiError && error.status === 422 && error.retries > 0) return { id: messageId, status: operation === "markAgentMessageProcessed" ? "processed" : "failed" };
      throw error;
    } finally {
      this.#inFlight.delete(messageId);
      this.emit("status");
    }
  }

  #assertUsable(): void {
    if (this.#connection === "conflict") {
      throw new ToolError(`The inbox is off: ${this.#detail ?? "another process holds this agent's Band connection"}. Band allows one live connection per agent: stop the other band-mcp-server (or SDK agent) using this key, then restart this one. REST tools keep working meanwhile.`);
    }
    if (this.#connection === "unauthorized") {
      throw new ToolError(`The inbox is off: ${this.#detail ?? "Band rejected the agent key"}. Set BAND_API_KEY to a valid agent key and restart the server.`);
    }
  }

  #setConnection(state: ConnectionState, detail?: string): void {
    if (this.#connection === state && this.#detail === detail) return;
    this.#connection = state;
    this.#detail = detail;
    this.emit("status");
  }

  #onSocketState(state: SocketState, detail?: string): void {
    if (state === "conflict" || state === "unauthorized") this.options.log.warn(`inbox off: ${detail}`);
    this.#setConnection(state, state === "connected" ? undefined : detail);
    if (state === "connected") void this.#refreshRooms();
    if (state === "conflict" || state === "unauthorized") this.#inbox.releaseAll();
  }

  /** Lists every room (all pages) and joins the new ones; rooms gone while we were away are left. */
  async #refreshRooms(): Promise<void> {
    const seen = new Set<string>();
    try {
      for (let page = 1; ; page++) {
        const { data, metadata } = await this.options.band.call("listAgentChats", { query: { page, page_size: 100 } });
        for (const room of data ?? []) {
          seen.add(room.id);
          this.#addRoom(room.id, room.title ?? undefined);
        }
        const totalPages = typeof metadata?.total_pages === "number" ? metadata.total_pages : page;
        if (page >= totalPages || (data ?? []).length === 0) break;
      }
    } catch (error) {
      this.options.log.warn("could not list rooms; will retry on the next reconnect", { error: String(error) });
      return;
    }
    for (const id of [...this.#rooms.keys()]) if (!seen.has(id)) this.#removeRoom(id);
    this.#roomsListed = true;
    this.emit("status");
  }

  #addRoom(id: string, title?: string): void {
    const existing = this.#rooms.get(id);
    if (existing) {
      if (title) existing.title = title;
      return;
    }
    this.#rooms.set(id, { id, title, state: "syncing", held: [], draining: false, drainAgain: false });
    this.#socket?.join(`chat_room:${id}`, ROOM_EVENTS);
    this.#socket?.join(`room_participants:${id}`, PARTICIPANT_EVENTS);
    this.emit("rooms");
  }

  #removeRoom(id: string): void {
    if (!this.#rooms.delete(id)) return;
    this.#socket?.leave(`chat_room:${id}`);
    this.#socket?.leave(`room_participants:${id}`);
    this.options.participants.forget(id);
    this.emit("rooms");
    this.emit("status");
  }

  #onJoined(topic: string): void {
    if (topic.startsWith("chat_room:")) {
      const room = this.#rooms.get(topic.slice("chat_room:".length));
      if (room) {
        // After a (re)join anything sent while we were away is only in the backlog: hold pushes until drained.
        room.state = "syncing";
        void this.#drain(room);
      }
    }
    this.emit("status");
  }

  /** Drains one room's not-yet-processed messages into the inbox, merged in order with pushes held meanwhile. */
  async #drain(room: Room): Promise<void> {
    if (room.draining) {
      room.drainAgain = true;
      return;
    }
    room.draining = true;
    try {
      do {
        room.drainAgain = false;
        await this.options.participants.list(room.id).catch(() => []);
        const agentId = this.#agent!.id;
        const isNew = (m: events.BandMessage) => isForAgent(m, agentId) && !this.#inbox.hasSeen(m.id);
        const space = () => this.#inbox.capacity - this.#inbox.pending;
        const backlog = await fetchBacklog(this.options.band, room.id, isNew, space, this.options.log);
        const merged = new Map<string, events.BandMessage>();
        for (const m of [...backlog, ...room.held.splice(0)]) merged.set(m.id, m);
        const ordered = [...merged.values()].sort(byCreation);
        room.state = "live";
        this.#enqueue(room, ordered);
        this.options.log.debug(`drained room ${room.id}`, { fetched: backlog.length, pending: this.#inbox.pending, state: room.state });
      } while (room.drainAgain && !this.#closed);
    } catch (error) {
      this.options.log.warn(`backlog drain of room ${room.id} failed; retrying`, { error: String(error) });
      room.state = "gap";
      setTimeout(() => void this.#recoverGaps(), jitteredBackoff(2, 1_000, 10_000)).unref();
    } finally {
      room.draining = false;
    }
  }

  #enqueue(room: Room, messages: events.BandMessage[]): void {
    const agentId = this.#agent?.id;
    if (!agentId) return;
    for (const raw of messages) {
      if (room.state === "gap") {
        this.#inbox.dropped++;
        continue;
      }
      if (!isForAgent(raw, agentId) || this.#inbox.hasSeen(raw.id)) continue;
      const message = toInboxMessage(raw, room.id, room.title, this.options.participants.cached(room.id));
      if (this.#inbox.offer(message) === "full") room.state = "gap";
    }
  }

  #onEvent(topic: string, event: string, payload: unknown): void {
    this.#lastEventAt = new Date().toISOString();
    const [kind, id = ""] = splitTopic(topic);
    const parsed = parseEvent(event, payload);
    if (!parsed.ok) {
      this.options.log.warn(`skipped an invalid ${event} event on ${kind}`, { issue: parsed.issue });
      return;
    }
    const data = parsed.data as Record<string, unknown> & { id: string };
    switch (event) {
      case "message_created": {
        const room = this.#rooms.get(id);
        if (!room) return;
        const message = data as events.BandMessage;
        if (room.state === "syncing") room.held.push(message);
        else this.#enqueue(room, [message]);
        this.emit("chat", id);
        return;
      }
      case "room_added":
        this.#addRoom(data.id, typeof data.title === "string" ? data.title : undefined);
        this.emit("status");
        return;
      case "room_removed":
        return this.#removeRoom(data.id);
      case "room_deleted":
        return this.#removeRoom(kind === "room_participants" ? id : data.id);
      case "participant_added":
        this.options.participants.upsert(id, data as never);
        return;
      case "participant_removed":
        if (data.id === this.#agent?.id) return this.#removeRoom(id);
        this.options.participants.remove(id, data.id);
        return;
      case "supersede":
        this.#socket?.stop("conflict", `superseded by a newer connection for this agent (${String(data.reason ?? "supersede")})`);
        return;
      default:
        this.options.log.debug(`ignored ${event} on ${kind}`);
    }
  }

  #onInboxChange(chatIds: Set<string>, handedOut: InboxMessage[]): void {
    for (const message of handedOut) this.#inFlight.set(message.id, { chatId: message.chat_id, claim: this.#claim(message) });
    if (handedOut.length > 0 && this.#inbox.pending < this.#inbox.capacity / 2) void this.#recoverGaps();
    const changed = new Set([...chatIds, ...handedOut.map((m) => m.chat_id)]);
    this.emit("inbox", changed);
  }

  /** Overflowed rooms drain again once the inbox is below half full: nothing dropped stays undelivered. */
  async #recoverGaps(): Promise<void> {
    for (const room of this.#rooms.values()) {
      if (this.#closed || this.#inbox.pending >= this.#inbox.capacity / 2) return;
      if (room.state === "gap" && !room.draining) {
        room.state = "syncing";
        await this.#drain(room);
      }
    }
  }

  /** Claims a handed-out message on Band; retried, and reported (log and band_status) if it never lands. */
  async #claim(message: InboxMessage): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.band.call("markAgentMessageProcessing", { path: { chat_id: message.chat_id, id: message.id }, idempotent: true });
        return true;
      } catch (error) {
        const final = attempt >= 4 || (error instanceof BandApiError && error.status >= 400 && error.status < 500 && error.status !== 429);
        if (final || this.#closed) {
          this.#claimFailures++;
          this.options.log.warn(`could not claim message ${message.id} in chat ${message.chat_id}`, { error: String(error) });
          this.emit("status");
          return false;
        }
        await sleep(jitteredBackoff(attempt, 500, 5_000));
      }
    }
  }
}

function byCreation(a: events.BandMessage, b: events.BandMessage): number {
  return a.inserted_at < b.inserted_at ? -1 : a.inserted_at > b.inserted_at ? 1 : 0;
}

function splitTopic(topic: string): [string, string] {
  const index = topic.indexOf(":");
  return index < 0 ? [topic, ""] : [topic.slice(0, index), topic.slice(index + 1)];
}

const SCHEMAS: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string; path: PropertyKey[] }[] } } }> = {
  message_created: events.messageCreated,
  room_added: events.roomAdded,
  room_removed: events.roomGone,
  room_deleted: events.roomGone,
  participant_added: events.participantAdded,
  participant_removed: events.participantRemoved,
  supersede: events.supersede,
};

function parseEvent(event: string, payload: unknown): { ok: true; data: unknown } | { ok: false; issue: string } {
  const schema = SCHEMAS[event];
  if (!schema) return { ok: true, data: payload ?? {} };
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error?.issues[0];
  return { ok: false, issue: issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid" };
}
