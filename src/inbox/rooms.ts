import { backoff } from "../backoff.js";
import { BandApiError, type BandClient } from "../band/http.js";
import { MAX_PAGES } from "../band/pages.js";
import type { Participants } from "../band/participants.js";
import type { Logger } from "../log.js";
import type { BandEvent, BandMessage } from "../realtime/events.js";
import { UnknownChatError } from "./errors.js";
import { ROOMS_CHANGED, STATUS, type CoreEvents } from "./events.js";
import type { Inbox } from "./inbox.js";
import type { BandLink } from "./link.js";
import type { DrainFailure } from "./live.js";
import type { LoopGuard } from "./loop-guard.js";
import { fetchBacklog, isForAgent, toInboxMessage } from "./sync.js";

/**
 * syncing: pushes are held until the backlog drain merges them in order. live: pushes go straight in.
 * gap: the inbox overflowed, so Band has messages we do not; pushes are dropped (counted) until a drain.
 * failed: the last drain failed; pushes are dropped likewise and a drain is retried after a backoff.
 */
type RoomState = "syncing" | "live" | "gap" | "failed";

interface Room {
  id: string;
  title?: string;
  state: RoomState;
  held: BandMessage[];
  draining: boolean;
  drainAgain: boolean;
  failures: number;
  /** Why the last drain failed and when it is tried again, for band_status. */
  failure?: { error: string; retry_in_seconds: number };
  retry?: NodeJS.Timeout;
}

export interface RoomsOptions {
  band: BandClient;
  participants: Participants;
  inbox: Inbox;
  /** Who the agent is, and the socket on which each room's topics are joined and left. */
  link: BandLink;
  /** Sees each new message, in its room's order, just before it is offered to the inbox. */
  loopGuard: LoopGuard;
  /** The socket's room events come in here; rooms joined, left or failing go out. */
  events: CoreEvents;
  log: Logger;
  /** Backoff of a failed drain's retries. */
  retry: { baseMs: number; maxMs: number };
  closed: AbortSignal;
}

/**
 * The agent's rooms: each one's state, and the backlog drains that fill the inbox from Band in order. Acts on
 * the socket's room events (rooms appearing and vanishing, their participants, pushed messages, Band's delivery
 * status) as they come in on the event line.
 */
export class Rooms {
  readonly #rooms = new Map<string, Room>();
  /** Rooms that overflowed: drained again as soon as the inbox has room (docs/delivery.md guarantee 6). */
  readonly #gaps = new Set<Room>();
  /** Whether the room list has been read once: until then an unknown chat id may just not be known yet. */
  #listed = false;

  constructor(private readonly options: RoomsOptions) {
    const { events, inbox, participants } = options;
    events.on("connection", (event) => event.state === "connected" && void this.refresh());
    events.on("joined", (event) => event.kind === "room" && this.#joined(event.id));
    events.on("message_created", (event) => this.#pushed(event.roomId, event.message));
    events.on("message_updated", (event) => this.#updated(event));
    events.on("room_added", (event) => {
      this.add(event.roomId, event.title);
      events.emit(STATUS);
    });
    events.on("room_gone", (event) => this.remove(event.roomId));
    events.on("participant_added", (event) => participants.upsert(event.roomId, event.participant));
    events.on("participant_removed", (event) => {
      if (event.participantId === options.link.agent?.id) this.remove(event.roomId);
      else participants.remove(event.roomId, event.participantId);
    });
    // Overflowed rooms drain again once the inbox is below half full: nothing dropped stays undelivered.
    inbox.changed.on(() => inbox.hasRoom() && this.#recover());
  }

  has(id: string): boolean {
    return this.#rooms.has(id);
  }

  /** The room list has been read from Band at least once. */
  get listed(): boolean {
    return this.#listed;
  }

  list(): { id: string; title?: string }[] {
    return [...this.#rooms.values()].map(({ id, title }) => ({ id, ...(title ? { title } : {}) }));
  }

  ids(): string[] {
    return [...this.#rooms.keys()];
  }

  /** The rooms whose drain failed, with why. */
  drainFailures(): DrainFailure[] {
    return [...this.#rooms.values()].flatMap((r) => (r.failure ? [{ chat_id: r.id, ...r.failure }] : []));
  }

  add(id: string, title?: string): void {
    const existing = this.#rooms.get(id);
    if (existing) {
      if (title) existing.title = title;
      return;
    }
    this.#rooms.set(id, { id, ...(title ? { title } : {}), state: "syncing", held: [], draining: false, drainAgain: false, failures: 0 });
    this.options.link.join("room", id);
    this.options.link.join("participants", id);
    this.options.events.emit(ROOMS_CHANGED);
  }

  remove(id: string): void {
    const room = this.#rooms.get(id);
    if (!room) return;
    clearTimeout(room.retry);
    this.#rooms.delete(id);
    this.#gaps.delete(room);
    this.options.link.leave("room", id);
    this.options.link.leave("participants", id);
    this.options.events.emit({ type: "room_left", roomId: id });
    this.options.participants.forget(id);
    this.options.events.emit(ROOMS_CHANGED);
    this.options.events.emit(STATUS);
  }

  /** Lists every room (all pages) and joins the new ones; rooms gone while we were away are left. */
  async refresh(): Promise<void> {
    const seen = new Set<string>();
    try {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data, metadata } = await this.options.band.call("listAgentChats", { query: { page, page_size: 100 }, signal: this.options.closed });
        for (const room of data ?? []) {
          seen.add(room.id);
          this.add(room.id, room.title ?? undefined);
        }
        const totalPages = typeof metadata?.total_pages === "number" ? metadata.total_pages : page;
        if (page >= totalPages || (data ?? []).length === 0) break;
      }
    } catch (error) {
      if (!this.options.closed.aborted) this.options.log.warn("could not list rooms; will retry on the next reconnect", { error: String(error) });
      return;
    }
    for (const id of this.ids()) if (!seen.has(id)) this.remove(id);
    this.#listed = true;
    this.options.events.emit(STATUS);
  }

  /**
   * A wait on a chat we have not joined: a room just created (its room_added may still be on the way) is joined
   * now; an id Band does not know is an error at once rather than a wait that can only time out.
   */
  async ensure(chatId: string, signal: AbortSignal): Promise<void> {
    if (!this.#listed || this.#rooms.has(chatId)) return;
    try {
      const { data } = await this.options.band.call("getAgentChat", { path: { id: chatId }, signal });
      this.add(data.id, data.title ?? undefined);
    } catch (error) {
      if (error instanceof BandApiError && (error.status === 404 || error.status === 422)) throw new UnknownChatError(chatId);
    }
  }

  /** The room's topic was (re)joined: anything sent while we were away is only in the backlog. */
  #joined(id: string): void {
    const room = this.#rooms.get(id);
    if (!room) return;
    room.state = "syncing";
    void this.#drain(room);
  }

  /**
   * Re-reads a live room's unprocessed messages (the idle resync): what Band has that no push brought is queued,
   * in order. A room that is syncing, in a gap or failed is already on its way to a drain.
   */
  async resync(id: string): Promise<void> {
    const room = this.#rooms.get(id);
    if (!room || room.state !== "live" || room.draining) return;
    room.state = "syncing";
    await this.#drain(room, { quiet: true });
  }

  /** A pushed message: held while the room syncs, dropped (counted) in a gap, else into the inbox. */
  #pushed(id: string, message: BandMessage): void {
    const room = this.#rooms.get(id);
    if (!room) return;
    if (room.state === "syncing") room.held.push(message);
    else this.#enqueue(room, [message]);
  }

  /** Band's delivery status for us: settled elsewhere while queued here, it leaves; else the attempt is noted. */
  #updated(event: Extract<BandEvent, { type: "message_updated" }>): void {
    const agentId = this.options.link.agent?.id;
    const mine = agentId === undefined ? undefined : event.deliveries[agentId];
    if (mine?.status === "processed") this.options.inbox.withdraw(event.messageId, event.roomId);
    else if (mine?.attempt !== undefined) this.options.inbox.annotate(event.messageId, mine.attempt);
  }

  /** Drains overflowed rooms again while the inbox has room. */
  #recover(): void {
    for (const room of this.#gaps) {
      if (this.options.closed.aborted || !this.options.inbox.hasRoom()) return;
      if (room.draining) continue;
      this.#gaps.delete(room);
      room.state = "syncing";
      void this.#drain(room);
    }
  }

  /**
   * Drains one room's not-yet-processed messages into the inbox, merged in order with pushes held meanwhile.
   * `quiet` (a resync): participants are read only when something new came, so a quiet room costs one request;
   * any other drain reads them too, so that later pushes render with handles.
   */
  async #drain(room: Room, { quiet = false } = {}): Promise<void> {
    if (room.draining) {
      room.drainAgain = true;
      return;
    }
    room.draining = true;
    const { band, inbox, log, participants } = this.options;
    try {
      do {
        room.drainAgain = false;
        const agentId = this.options.link.agent!.id;
        const isNew = (m: BandMessage) => isForAgent(m, agentId) && !inbox.hasSeen(m.id);
        const backlog = await fetchBacklog(band, room.id, isNew, () => inbox.space, log);
        if (!quiet || backlog.messages.some(isNew) || room.held.length > 0) await participants.list(room.id).catch(() => []);
        const merged = new Map<string, BandMessage>();
        for (const m of [...backlog.messages, ...room.held.splice(0)]) merged.set(m.id, m);
        room.state = "live";
        this.#enqueue(room, [...merged.values()].sort(byCreation));
        // Stopped for want of room: Band has more, so the room is in a gap even if the last offer fit exactly.
        if (!backlog.complete) this.#markGap(room);
        if (room.failure || room.failures) {
          room.failure = undefined;
          room.failures = 0;
          this.options.events.emit(STATUS);
        }
        // The consumer may have made room while we drained: then the gap is filled now, not at the next hand-out.
        if (this.#gaps.has(room) && inbox.hasRoom()) {
          this.#gaps.delete(room);
          room.state = "syncing";
          room.drainAgain = true;
        }
        log.debug(`drained room ${room.id}`, { fetched: backlog.messages.length, pending: inbox.pending, state: room.state });
      } while (room.drainAgain && !this.options.closed.aborted && this.#rooms.has(room.id));
    } catch (error) {
      this.#failed(room, error);
    } finally {
      room.draining = false;
    }
  }

  #failed(room: Room, error: unknown): void {
    if (this.options.closed.aborted || !this.#rooms.has(room.id)) return;
    room.state = "failed";
    room.failures++;
    const delay = backoff(room.failures, this.options.retry.baseMs, this.options.retry.maxMs);
    room.failure = { error: error instanceof Error ? error.message : String(error), retry_in_seconds: Math.ceil(delay / 1000) };
    this.options.log.warn(`backlog drain of chat ${room.id} failed (${room.failure.error}); retrying in ${room.failure.retry_in_seconds} s`);
    this.options.events.emit(STATUS);
    room.retry = setTimeout(() => {
      room.state = "syncing";
      void this.#drain(room);
    }, delay);
    room.retry.unref();
  }

  #markGap(room: Room): void {
    room.state = "gap";
    this.#gaps.add(room);
  }

  #enqueue(room: Room, messages: BandMessage[]): void {
    const agentId = this.options.link.agent?.id;
    if (!agentId) return;
    const { inbox, participants } = this.options;
    for (const raw of messages) {
      if (room.state === "gap" || room.state === "failed") {
        inbox.drop();
        continue;
      }
      if (!isForAgent(raw, agentId) || inbox.hasSeen(raw.id)) continue;
      const message = toInboxMessage(raw, room.id, room.title, participants.cached(room.id), agentId);
      this.options.loopGuard.admit(message);
      if (inbox.offer(message) === "full") this.#markGap(room);
    }
  }
}

function byCreation(a: BandMessage, b: BandMessage): number {
  return a.inserted_at < b.inserted_at ? -1 : a.inserted_at > b.inserted_at ? 1 : 0;
}
