/**
 * The local Band's world: actors, rooms, messages and their processing, plus contacts, memories and tasks. It
 * keeps the records and tells what happened as typed events (events.ts); who hears of it, and how (socket
 * frames, the web chat, the world file), is for the watchers to decide.
 */
import { Listeners } from "../listeners.js";
import { ActorDirectory } from "./actors.js";
import { ContactBook } from "./contacts.js";
import { BandFailure, invalid, notFound } from "./errors.js";
import type { StoreEvent } from "./events.js";
import { Clock, newId } from "./ids.js";
import { MemoryBank } from "./memories.js";
import { AgentQueues } from "./queues.js";
import { isReferenced } from "./references.js";
import { TaskBoards } from "./tasks.js";
import type { Role, ActorRecord, ParticipantRecord, RoomRecord, AttemptRecord, DeliveryRecord, MessageRecord } from "./records.js";

export type { ActorType, Role, ActorRecord, ParticipantRecord, RoomRecord, MentionMeta, DeliveryStatus, AttemptRecord, DeliveryRecord, MessageRecord, QueueFilter } from "./records.js";
export type { StoreEvent } from "./events.js";

const TEXT = "text";

export class BandStore {
  readonly clock = new Clock();
  readonly organizationId = newId();
  readonly actors = new ActorDirectory(this.clock);
  readonly rooms = new Map<string, RoomRecord>();
  readonly messagesById = new Map<string, MessageRecord>();
  readonly queues = new AgentQueues();
  readonly contacts: ContactBook;
  readonly memories = new MemoryBank(this);
  readonly tasks = new TaskBoards(this);

  readonly #roomsByActor = new Map<string, Set<string>>();
  readonly #events = new Listeners<[StoreEvent]>();
  #seq = 0;

  /** `maxMessages`: refuse new messages past this many (a long-running sandbox must not grow without end). */
  constructor(readonly limits: { maxMessages?: number } = {}) {
    this.contacts = new ContactBook(this, (event) => this.#events.emit(event));
  }

  /** Calls `watcher` with each event, in the order watchers subscribed; returns the unsubscribe. */
  watch(watcher: (event: StoreEvent) => void): () => void {
    return this.#events.on(watcher);
  }

  // ---- actors ----

  addUser(fields?: Parameters<ActorDirectory["addUser"]>[0]): ActorRecord {
    return this.actors.addUser(fields);
  }

  addAgent(fields?: Parameters<ActorDirectory["addAgent"]>[0]): ActorRecord {
    return this.actors.addAgent(fields);
  }

  /** Deleting an agent revokes its key and takes it out of every room. */
  deleteAgent(agentId: string): number {
    const rooms = [...this.roomsOf(agentId)];
    for (const roomId of rooms) this.removeParticipant(roomId, agentId);
    this.actors.remove(agentId);
    return rooms.length;
  }

  actor(id: string): ActorRecord | undefined {
    return this.actors.get(id);
  }

  actorByKey(key: string): ActorRecord | undefined {
    return this.actors.byKey(key);
  }

  /** Handles are matched case-insensitively, with or without a leading `@`. */
  actorByHandle(handle: string): ActorRecord | undefined {
    return this.actors.byHandle(handle);
  }

  requireActor(id: string): ActorRecord {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`local band: no actor ${id}`);
    return actor;
  }

  // ---- rooms and participants ----

  createRoom(options: { ownerId: string; title?: string | null; taskId?: string | null; memberIds?: string[]; type?: RoomRecord["type"] }): RoomRecord {
    for (const id of [options.ownerId, ...(options.memberIds ?? [])]) this.requireActor(id);
    const now = this.clock.now();
    const title = options.title ?? null;
    const room: RoomRecord = {
      id: newId(),
      title,
      taskId: options.taskId ?? null,
      type: options.type ?? (options.taskId ? "task" : "direct"),
      status: "active",
      titleLocked: title !== null && title.trim() !== "",
      insertedAt: now,
      updatedAt: now,
      lastMessageAt: null,
      participants: new Map(),
      messages: [],
    };
    this.rooms.set(room.id, room);
    this.#join(room, options.ownerId, "owner");
    for (const memberId of options.memberIds ?? []) if (memberId !== options.ownerId) this.#join(room, memberId, "member");
    this.#events.emit({ type: "room_created", room });
    return room;
  }

  room(roomId: string): RoomRecord | undefined {
    return this.rooms.get(roomId);
  }

  requireRoom(roomId: string): RoomRecord {
    const room = this.rooms.get(roomId);
    if (!room) throw new Error(`local band: no room ${roomId}`);
    return room;
  }

  /** The room as `actorId` may see it: missing and foreign rooms are both 404 (Band hides existence). */
  visibleRoom(actorId: string, roomId: string): RoomRecord {
    const room = this.rooms.get(roomId);
    if (!room || !room.participants.has(actorId)) throw notFound("Chat room not found");
    return room;
  }

  roomsOf(actorId: string): Set<string> {
    return this.#roomsByActor.get(actorId) ?? new Set();
  }

  isParticipant(roomId: string, actorId: string): boolean {
    return this.rooms.get(roomId)?.participants.has(actorId) ?? false;
  }

  addParticipant(roomId: string, actorId: string, role: Role = "member"): ParticipantRecord {
    const room = this.requireRoom(roomId);
    const actor = this.requireActor(actorId);
    const participant = this.#join(room, actorId, role);
    this.#events.emit({ type: "participant_added", room, actor, participant });
    return participant;
  }

  removeParticipant(roomId: string, actorId: string): ParticipantRecord {
    const room = this.requireRoom(roomId);
    const participant = room.participants.get(actorId);
    if (!participant) throw new Error(`local band: ${actorId} is not in room ${roomId}`);
    const actor = this.requireActor(actorId);
    room.participants.delete(actorId);
    this.#roomsByActor.get(actorId)?.delete(roomId);
    this.#events.emit({ type: "participant_removed", room, actor, removedAt: this.clock.now() });
    return participant;
  }

  deleteRoom(roomId: string): void {
    const room = this.requireRoom(roomId);
    for (const actorId of room.participants.keys()) {
      this.#roomsByActor.get(actorId)?.delete(roomId);
      this.queues.forget(actorId, roomId);
    }
    for (const message of room.messages) this.messagesById.delete(message.id);
    this.tasks.forgetRoom(roomId);
    this.rooms.delete(roomId);
    this.#events.emit({ type: "room_deleted", room });
  }

  renameRoom(room: RoomRecord, title: string): void {
    if (room.title === title && room.titleLocked) return;
    room.title = title;
    room.titleLocked = true;
    room.updatedAt = this.clock.now();
    this.#events.emit({ type: "room_renamed", room });
  }

  #join(room: RoomRecord, actorId: string, role: Role): ParticipantRecord {
    const participant: ParticipantRecord = { actorId, role, joinedAt: this.clock.now() };
    room.participants.set(actorId, participant);
    this.#roomSet(actorId).add(room.id);
    return participant;
  }

  #roomSet(actorId: string): Set<string> {
    let rooms = this.#roomsByActor.get(actorId);
    if (!rooms) this.#roomsByActor.set(actorId, (rooms = new Set()));
    return rooms;
  }

  // ---- messages ----

  /**
   * Stores a message. Text messages get `@[[id]] ` prepended for each mention the content does not already
   * reference (references.ts), and enter the queue of each mentioned agent but the sender.
   */
  createMessage(options: {
    room: RoomRecord;
    sender: ActorRecord;
    content: string;
    messageType?: string;
    mentions?: ActorRecord[];
    metadata?: Record<string, unknown>;
  }): MessageRecord {
    const { room, sender } = options;
    if (this.messagesById.size >= (this.limits.maxMessages ?? Number.POSITIVE_INFINITY)) {
      throw new BandFailure(507, "storage_full", `This local Band holds at most ${this.limits.maxMessages} messages; restart it on an empty BAND_SANDBOX_DIR for a clean slate.`);
    }
    const messageType = options.messageType ?? TEXT;
    const mentioned = messageType === TEXT ? (options.mentions ?? []) : [];
    const missing = mentioned.filter((actor) => !isReferenced(options.content, actor));
    const now = this.clock.now();
    const message: MessageRecord = {
      seq: ++this.#seq,
      id: newId(),
      roomId: room.id,
      content: missing.map((actor) => `@[[${actor.id}]] `).join("") + options.content,
      messageType,
      senderId: sender.id,
      senderType: sender.type,
      senderName: sender.name,
      mentions: mentioned.map((actor) => ({ id: actor.id, handle: actor.handle, name: actor.name })),
      extraMetadata: options.metadata ?? {},
      insertedAt: now,
      updatedAt: now,
      deliveries: new Map(),
    };
    room.lastMessageAt = now;
    const recipients = this.#file(room, message);
    this.#events.emit({ type: "message_created", message, recipients });
    return message;
  }

  /** Files a message in its room, and with each agent it concerns; returns the agents whose queue it entered. */
  #file(room: RoomRecord, message: MessageRecord): string[] {
    room.messages.push(message);
    this.messagesById.set(message.id, message);
    const recipients = message.messageType === TEXT ? message.mentions.filter(({ id }) => id !== message.senderId && this.actors.get(id)?.type === "Agent").map(({ id }) => id) : [];
    this.queues.file(message, recipients);
    return recipients;
  }

  /** Files the records of a saved world (world-file.ts) in this empty store, as if they had happened here. */
  adopt(world: { actors: readonly ActorRecord[]; rooms: readonly RoomRecord[]; messages: readonly MessageRecord[] }): void {
    this.actors.adopt(world.actors);
    for (const room of world.rooms) {
      this.rooms.set(room.id, room);
      for (const actorId of room.participants.keys()) this.#roomSet(actorId).add(room.id);
    }
    for (const message of world.messages) this.#file(this.requireRoom(message.roomId), message);
    this.#seq = world.messages.at(-1)?.seq ?? 0;
  }

  /** A message of this room, or 404. */
  messageIn(room: RoomRecord, messageId: string): MessageRecord {
    const message = this.messagesById.get(messageId);
    if (!message || message.roomId !== room.id) throw notFound("Message not found");
    return message;
  }

  /**
   * `/processing`: always allowed; opens attempt n+1 (re-claiming a stuck or failed message). `processed` is
   * terminal (PROTOCOL.md §6): a late claim on a processed message is recorded as an attempt but the message
   * stays processed and out of the queue.
   */
  markProcessing(message: MessageRecord, agentId: string): { delivery: DeliveryRecord; attempt: AttemptRecord } {
    let delivery = message.deliveries.get(agentId);
    if (!delivery) message.deliveries.set(agentId, (delivery = { status: "processing", attempts: [] }));
    if (delivery.status !== "processed") delivery.status = "processing";
    const attempt: AttemptRecord = { attempt_number: delivery.attempts.length + 1, status: "processing", started_at: this.clock.now() };
    delivery.attempts.push(attempt);
    this.#events.emit({ type: "processing_changed", message, agentId });
    return { delivery, attempt };
  }

  /** `/processed` and `/failed` close the open attempt; without one they are 422. */
  completeAttempt(message: MessageRecord, agentId: string, outcome: { error?: string }): { delivery: DeliveryRecord; attempt: AttemptRecord } {
    const delivery = message.deliveries.get(agentId);
    const attempt = delivery?.attempts[delivery.attempts.length - 1];
    if (!delivery || attempt?.status !== "processing") {
      throw invalid("/id", "has no active processing attempt; call /processing first", "validation_error", "No active processing attempt");
    }
    attempt.completed_at = this.clock.now();
    attempt.status = outcome.error === undefined ? "success" : "failed";
    if (outcome.error !== undefined) attempt.error = outcome.error;
    if (delivery.status !== "processed") delivery.status = outcome.error === undefined ? "processed" : "failed";
    this.#events.emit({ type: "processing_changed", message, agentId });
    return { delivery, attempt };
  }

  /** `/activity`: an agent's "working…" indicator in a room. */
  reportActivity(agentId: string, roomId: string, working: boolean): void {
    this.#events.emit({ type: "activity_reported", roomId, agentId, working });
  }
}
