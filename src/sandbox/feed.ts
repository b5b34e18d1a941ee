/**
 * The web chat's live view: changes in the world as Server-Sent Events (`GET /sandbox/api/events`), and each
 * room's "working…" agents. An agent counts as working while its socket is connected and it holds a message in
 * `processing`, or for `activityTtlMs` after it reported `{working: true}` (Band expires the indicator itself,
 * PROTOCOL.md §7). An agent whose socket is gone works on nothing: the page shows it offline instead.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Presence } from "./presence.js";
import type { BandStore, StoreEvent } from "./store.js";
import { messageView, personView, roomView, type PersonView } from "./views.js";

export interface FeedOptions {
  /** How long a `{working: true}` report lasts; default 10 s, like Band. */
  activityTtlMs?: number;
  /** Open event streams at most; more are answered 503. Default 32. */
  maxClients?: number;
  /** A comment line this often keeps proxies from closing idle streams; default 15 s. */
  keepAliveMs?: number;
}

type Key = `${string} ${string}`;
const key = (roomId: string, agentId: string): Key => `${roomId} ${agentId}`;

export class ChatFeed {
  readonly #store: BandStore;
  readonly #presence: Presence;
  readonly #clients = new Set<ServerResponse>();
  /** Reported activity per room and agent, expiring. */
  readonly #reported = new Map<Key, NodeJS.Timeout>();
  /** Messages each agent holds in `processing`, per room and agent. */
  readonly #processing = new Map<Key, Set<string>>();
  readonly #ttl: number;
  readonly #maxClients: number;
  readonly #keepAlive: NodeJS.Timeout;
  readonly #unwatch: (() => void)[];

  constructor(store: BandStore, presence: Presence, options: FeedOptions = {}) {
    this.#store = store;
    this.#presence = presence;
    this.#ttl = options.activityTtlMs ?? 10_000;
    this.#maxClients = options.maxClients ?? 32;
    this.#unwatch = [store.watch((event) => this.#onEvent(event)), presence.watch((agentId, online) => this.#onPresence(agentId, online))];
    this.#keepAlive = setInterval(() => this.#write(": keep-alive\n\n"), options.keepAliveMs ?? 15_000);
    this.#keepAlive.unref();
  }

  /** The agents working in the room now. */
  working(roomId: string): PersonView[] {
    const room = this.#store.room(roomId);
    if (!room) return [];
    const agents: PersonView[] = [];
    for (const actorId of room.participants.keys()) {
      const k = key(roomId, actorId);
      const actor = this.#store.actor(actorId);
      const busy = this.#reported.has(k) || (this.#processing.get(k)?.size ?? 0) > 0;
      if (actor && busy && this.#presence.isOnline(actorId)) agents.push(personView(actor));
    }
    return agents;
  }

  /** Answers `GET /sandbox/api/events` with an open event stream. */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    if (this.#clients.size >= this.#maxClients) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
      res.end(JSON.stringify({ error: { code: "too_many_streams", message: `At most ${this.#maxClients} event streams are open at once; close a chat tab.` } }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write("retry: 1000\n\n");
    this.#clients.add(res);
    req.on("close", () => this.#clients.delete(res));
  }

  close(): void {
    for (const unwatch of this.#unwatch) unwatch();
    clearInterval(this.#keepAlive);
    for (const timer of this.#reported.values()) clearTimeout(timer);
    this.#reported.clear();
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #onEvent(event: StoreEvent): void {
    switch (event.type) {
      case "message_created":
        this.#send("message", messageView(this.#store, event.message));
        return;
      case "processing_changed": {
        const { message, agentId } = event;
        const k = key(message.roomId, agentId);
        const held = this.#processing.get(k) ?? new Set<string>();
        if (message.deliveries.get(agentId)?.status === "processing") held.add(message.id);
        else held.delete(message.id);
        if (held.size > 0) this.#processing.set(k, held);
        else this.#processing.delete(k);
        this.#send("message", messageView(this.#store, message));
        this.#sendWorking(message.roomId);
        return;
      }
      case "activity_reported": {
        const k = key(event.roomId, event.agentId);
        clearTimeout(this.#reported.get(k));
        this.#reported.delete(k);
        if (event.working) {
          const timer = setTimeout(() => {
            this.#reported.delete(k);
            this.#sendWorking(event.roomId);
          }, this.#ttl);
          timer.unref();
          this.#reported.set(k, timer);
        }
        this.#sendWorking(event.roomId);
        return;
      }
      case "room_created":
      case "room_renamed":
      case "participant_added":
      case "participant_removed":
      case "room_deleted": {
        const room = this.#store.room(event.room.id);
        this.#send("room", room ? roomView(this.#store, room) : { id: event.room.id, deleted: true });
      }
    }
  }

  #onPresence(agentId: string, online: boolean): void {
    this.#send("presence", { agent_id: agentId, online });
    for (const roomId of this.#store.roomsOf(agentId)) this.#sendWorking(roomId);
  }

  /** Tells every open page something that is not a change in the store (the agent controls' paused state). */
  announce(event: string, data: unknown): void {
    this.#send(event, data);
  }

  #sendWorking(roomId: string): void {
    this.#send("working", { room_id: roomId, agents: this.working(roomId) });
  }

  #send(event: string, data: unknown): void {
    if (this.#clients.size > 0) this.#write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  #write(text: string): void {
    for (const res of this.#clients) res.write(text);
  }
}
