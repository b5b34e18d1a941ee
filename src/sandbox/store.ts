import { topics } from "../realtime/topics.js";
import { ContactBook } from "./contacts.js";
import { BandFailure, invalid, notFound } from "./errors.js";
import { Clock, newApiKey, newId } from "./ids.js";
import { MemoryBank } from "./memories.js";
import { isReferenced } from "./references.js";
import { TaskBoards } from "./tasks.js";
import type { Role, ActorRecord, ParticipantRecord, RoomRecord, DeliveryStatus, AttemptRecord, DeliveryRecord, MessageRecord, QueueFilter, StoreChange, Push } from "./records.js";

export type { ActorType, Role, ActorRecord, ParticipantRecord, RoomRecord, MentionMeta, DeliveryStatus, AttemptRecord, DeliveryRecord, MessageRecord, QueueFilter, StoreChange, Push } from "./records.js";

/** An agent's work in one room: the text messages that mention it and that it did not send, oldest first. */
interface Queue {
  items: MessageRecord[];
  /** Every item before `head` is processed, so unprocessed scans and `/next` start here. */
  head: number;
}

const TEXT = "text";

/** Index of the first item whose seq is greater than `seq` (items ascend by seq). */
export function firstAfter(items: readonly { seq: number }[], seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (items[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

function matches(filter: QueueFilter, status: DeliveryStatus | "none"): boolean {
  switch (filter) {
    case "unprocessed":
      return status !== "processed";
    case "pending":
      return status === "none" || status === "failed";
    case "all":
      return true;
    default:
      return status === filter;
  }
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "agent";

/** The local Band's whole world: actors, rooms, messages and delivery state, plus contacts, memories and tasks. */
export class BandStore {
  readonly clock = new Clock();
  readonly organizationId = newId();
  readonly actors = new Map<string, ActorRecord>();
  readonly rooms = new Map<string, RoomRecord>();
  readonly messagesById = new Map<string, MessageRecord>();
  readonly contacts: ContactBook;
  readonly memories: MemoryBank;
  readonly tasks: TaskBoards;

  readonly #byKey = new Map<string, string>();
  readonly #byHandle = new Map<string, string>();
  readonly #roomsByActor = new Map<string, Set<string>>();
  readonly #queues = new Map<string, Map<string, Queue>>();
  readonly #contexts = new Map<string, Map<string, MessageRecord[]>>();
  readonly #watchers = new Set<(change: StoreChange) => void>();
  #seq = 0;
  #counter = 0;

  /** `maxMessages`: refuse new messages past this many (a long-running sandbox must not grow without end). */
  constructor(
    readonly push: Push,
    readonly limits: { maxMessages?: number } = {},
  ) {
    this.contacts = new ContactBook(this);
    this.memories = new MemoryBank(this);
    this.tasks = new TaskBoards(this);
  }

  /** Calls `watcher` after each change; returns the unsubscribe. */
  watch(watcher: (change: StoreChange) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  #changed(change: StoreChange): void {
    for (const watcher of this.#watchers) watcher(change);
  }

  // ---- actors ----

  addUser(fields: { id?: string; name?: string; handle?: string } = {}): ActorRecord {
    const n = ++this.#counter;
    const name = fields.name ?? `User ${n}`;
    const handle = fields.handle ?? `user${n}`;
    const [firstName = name, ...rest] = name.split(" ");
    const now = this.clock.now();
    return this.#register({
      id: fields.id ?? newId(),
      type: "User",
      name,
      handle,
      key: newApiKey("user"),
      description: null,
      insertedAt: now,
      updatedAt: now,
      global: false,
      isExternal: false,
      listedInDirectory: true,
      tags: [],
      email: `${handle.replace(/[^a-z0-9._-]/gi, "")}@example.com`,
      firstName,
      lastName: rest.join(" "),
    });
  }

  addAgent(fields: { id?: string; name?: string; handle?: string; ownerId?: string; description?: string | null; global?: boolean } = {}): ActorRecord {
    const n = ++this.#counter;
    const owner = fields.ownerId ? this.actor(fields.ownerId) : undefined;
    if (fields.ownerId && owner?.type !== "User") throw new Error(`local band: owner ${fields.ownerId} is not a user`);
    const name = fields.name ?? `Agent ${n}`;
    let handle = fields.handle ?? (owner ? `${owner.handle}/${slug(name)}` : `agent-${n}`);
    if (!fields.handle) for (let i = 2; this.#byHandle.has(handle.toLowerCase()); i++) handle = `${owner?.handle ?? "agent"}/${slug(name)}-${i}`;
    const now = this.clock.now();
    return this.#register({
      id: fields.id ?? newId(),
      type: "Agent",
      name,
      handle,
      key: newApiKey("agent"),
      description: fields.description ?? null,
      insertedAt: now,
      updatedAt: now,
      ...(owner ? { ownerId: owner.id } : {}),
      global: fields.global ?? false,
      isExternal: true,
      listedInDirectory: false,
      tags: [],
    });
  }

  #register(actor: ActorRecord): ActorRecord {
    if (this.actors.has(actor.id)) throw new Error(`local band: id ${actor.id} is taken`);
    if (this.#byHandle.has(actor.handle.toLowerCase())) throw new Error(`local band: handle ${actor.handle} is taken`);
    this.actors.set(actor.id, actor);
    this.#byKey.set(actor.key, actor.id);
    this.#byHandle.set(actor.handle.toLowerCase(), actor.id);
    return actor;
  }

  /** Deleting an agent revokes its key and takes it out of every room. */
  deleteAgent(agentId: string): number {
    const rooms = [...this.roomsOf(agentId)];
    for (const roomId of rooms) this.removeParticipant(roomId, agentId);
    const agent = this.actors.get(agentId);
    if (agent) {
      this.#byKey.delete(agent.key);
      this.#byHandle.delete(agent.handle.toLowerCase());
      this.actors.delete(agentId);
    }
    return rooms.length;
  }

  actor(id: string): ActorRecord | undefined {
    return this.actors.get(id);
  }

  actorByKey(key: string): ActorRecord | undefined {
    const id = this.#byKey.get(key);
    return id === undefined ? undefined : this.actors.get(id);
  }

  /** Handles are matched case-insensitively, with or without a leading `@`. */
  actorByHandle(handle: string): ActorRecord | undefined {
    const id = this.#byHandle.get(handle.trim().replace(/^@/, "").toLowerCase());
    return id === undefined ? undefined : this.actors.get(id);
  }

  requireActor(id: string): ActorRecord {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`local band: no actor ${id}`);
    return actor;
  }

  // ---- rooms and participants ----

  createRoom(options: { ownerId: string; title?: string | null; taskId?: string | null; memberIds?: string[]; type?: RoomRecord["type"] }): RoomRecord {
    this.requireActor(options.ownerId);
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
    for (const participant of room.participants.values()) this.#announceRoomAdded(room, participant.actorId);
    this.#changed({ kind: "room", roomId: room.id });
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
    this.#toAgentsIn(room, `room_participants:${room.id}`, "participant_added", {
      id: actor.id,
      name: actor.name,
      type: actor.type,
      handle: actor.handle,
      role,
      status: "active",
      ...(actor.description ? { description: actor.description } : {}),
      is_external: actor.isExternal,
    });
    this.#announceRoomAdded(room, actorId);
    this.#changed({ kind: "room", roomId });
    return participant;
  }

  removeParticipant(roomId: string, actorId: string): ParticipantRecord {
    const room = this.requireRoom(roomId);
    const participant = room.participants.get(actorId);
    if (!participant) throw new Error(`local band: ${actorId} is not in room ${roomId}`);
    const actor = this.requireActor(actorId);
    this.#toAgentsIn(room, `room_participants:${room.id}`, "participant_removed", { id: actorId, type: actor.type });
    room.participants.delete(actorId);
    this.#roomsByActor.get(actorId)?.delete(roomId);
    if (actor.type === "Agent") {
      const now = this.clock.now();
      // The union of the fields the TS and Python SDKs require (PROTOCOL.md §5.5).
      this.push(actorId, `agent_rooms:${actorId}`, "room_removed", {
        id: room.id,
        title: room.title ?? "",
        task_id: room.taskId,
        status: room.status,
        type: room.type,
        removed_at: now,
        inserted_at: room.insertedAt,
        updated_at: room.updatedAt,
      });
    }
    this.#changed({ kind: "room", roomId });
    return participant;
  }

  deleteRoom(roomId: string): void {
    const room = this.requireRoom(roomId);
    this.#toAgentsIn(room, `room_participants:${room.id}`, "room_deleted", { id: room.id });
    for (const actorId of room.participants.keys()) {
      this.#roomsByActor.get(actorId)?.delete(roomId);
      this.#queues.get(actorId)?.delete(roomId);
      this.#contexts.get(actorId)?.delete(roomId);
    }
    for (const message of room.messages) this.messagesById.delete(message.id);
    this.tasks.forgetRoom(roomId);
    this.rooms.delete(roomId);
    this.#changed({ kind: "room", roomId });
  }

  renameRoom(room: RoomRecord, title: string): void {
    if (room.title === title && room.titleLocked) return;
    room.title = title;
    room.titleLocked = true;
    room.updatedAt = this.clock.now();
    this.#changed({ kind: "room", roomId: room.id });
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

  #announceRoomAdded(room: RoomRecord, actorId: string): void {
    const actor = this.requireActor(actorId);
    if (actor.type !== "Agent") return;
    const owner = [...room.participants.values()].find((p) => p.role === "owner");
    const ownerActor = owner ? this.actors.get(owner.actorId) : undefined;
    // The union of the fields the TS and Python SDKs accept (PROTOCOL.md §5.5).
    this.push(actorId, `agent_rooms:${actorId}`, "room_added", {
      id: room.id,
      title: room.title,
      task_id: room.taskId,
      status: room.status,
      type: room.type,
      inserted_at: room.insertedAt,
      updated_at: room.updatedAt,
      created_at: room.insertedAt,
      participant_role: room.participants.get(actorId)?.role ?? "member",
      ...(ownerActor ? { owner: { id: ownerActor.id, name: ownerActor.name, type: ownerActor.type } } : {}),
    });
  }

  /** Every agent participant of the room: those are the ones whose sockets may hold its topics. */
  #toAgentsIn(room: RoomRecord, topic: string, event: string, payload: object): void {
    for (const { actorId } of room.participants.values()) {
      if (this.actors.get(actorId)?.type === "Agent") this.push(actorId, topic, event, payload);
    }
  }

  // ---- messages ----

  /**
   * Stores a message. Text messages get `@[[id]] ` prepended for each mention the content does not already
   * reference (references.ts), enter each mentioned agent's queue, and are pushed to it as `message_created`.
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
    for (const agentId of this.#file(room, message)) this.push(agentId, topics.room(room.id), "message_created", this.chatMessage(message));
    this.#changed({ kind: "message", message });
    return message;
  }

  /** Files a message in its room, and in the queue and context of each agent it concerns; returns the agents it mentions. */
  #file(room: RoomRecord, message: MessageRecord): string[] {
    room.messages.push(message);
    this.messagesById.set(message.id, message);
    if (message.senderType === "Agent") this.#context(message.senderId, room.id).push(message);
    const mentioned = message.messageType === TEXT ? message.mentions.filter(({ id }) => id !== message.senderId && this.actors.get(id)?.type === "Agent") : [];
    for (const { id } of mentioned) {
      this.#queue(id, room.id).items.push(message);
      this.#context(id, room.id).push(message);
    }
    return mentioned.map(({ id }) => id);
  }

  /** Files the records of a saved world (world-file.ts) in this empty store, as if they had happened here. */
  adopt(world: { actors: readonly ActorRecord[]; rooms: readonly RoomRecord[]; messages: readonly MessageRecord[] }): void {
    for (const actor of world.actors) this.#register(actor);
    this.#counter = world.actors.length;
    for (const room of world.rooms) {
      this.rooms.set(room.id, room);
      for (const actorId of room.participants.keys()) this.#roomSet(actorId).add(room.id);
    }
    for (const message of world.messages) this.#file(this.requireRoom(message.roomId), message);
    this.#seq = world.messages.at(-1)?.seq ?? 0;
  }

  /** The spec's ChatMessage (also the `message_created` payload). */
  chatMessage(message: MessageRecord) {
    return {
      id: message.id,
      content: message.content,
      message_type: message.messageType,
      sender_id: message.senderId,
      sender_type: message.senderType,
      sender_name: message.senderName,
      chat_room_id: message.roomId,
      metadata: message.messageType === TEXT ? { ...message.extraMetadata, mentions: message.mentions } : { ...message.extraMetadata },
      inserted_at: message.insertedAt,
      updated_at: message.updatedAt,
    };
  }

  /** A message of this room, or 404. */
  messageIn(room: RoomRecord, messageId: string): MessageRecord {
    const message = this.messagesById.get(messageId);
    if (!message || message.roomId !== room.id) throw notFound("Message not found");
    return message;
  }

  #queue(agentId: string, roomId: string): Queue {
    let rooms = this.#queues.get(agentId);
    if (!rooms) this.#queues.set(agentId, (rooms = new Map()));
    let queue = rooms.get(roomId);
    if (!queue) rooms.set(roomId, (queue = { items: [], head: 0 }));
    return queue;
  }

  #context(agentId: string, roomId: string): MessageRecord[] {
    let rooms = this.#contexts.get(agentId);
    if (!rooms) this.#contexts.set(agentId, (rooms = new Map()));
    let list = rooms.get(roomId);
    if (!list) rooms.set(roomId, (list = []));
    return list;
  }

  /** What the agent sent (any type) plus the text messages that mention it, oldest first. */
  contextOf(agentId: string, roomId: string): readonly MessageRecord[] {
    return this.#contexts.get(agentId)?.get(roomId) ?? [];
  }

  deliveryStatus(message: MessageRecord, agentId: string): DeliveryStatus | "none" {
    return message.deliveries.get(agentId)?.status ?? "none";
  }

  /**
   * Up to `limit` queued messages matching `filter`, after the message with sequence `afterSeq`.
   * `nextAfter` is set when more match. Unprocessed scans start at the queue head, so draining a backlog
   * never rescans what is already processed.
   */
  listQueue(agentId: string, roomId: string, filter: QueueFilter, limit: number, afterSeq?: number): { items: MessageRecord[]; nextAfter?: number } {
    const queue = this.#queue(agentId, roomId);
    this.#advanceHead(queue, agentId);
    const skipsProcessed = filter !== "processed" && filter !== "all";
    let index = afterSeq === undefined ? 0 : firstAfter(queue.items, afterSeq);
    if (skipsProcessed) index = Math.max(index, queue.head);
    const items: MessageRecord[] = [];
    for (; index < queue.items.length; index++) {
      const message = queue.items[index]!;
      if (!matches(filter, this.deliveryStatus(message, agentId))) continue;
      if (items.length === limit) return { items, nextAfter: items[items.length - 1]!.seq };
      items.push(message);
    }
    return { items };
  }

  /** Every queued message matching `filter` (for the deprecated page family, which needs totals). */
  queueMatching(agentId: string, roomId: string, filter: QueueFilter): MessageRecord[] {
    return this.#queue(agentId, roomId).items.filter((message) => matches(filter, this.deliveryStatus(message, agentId)));
  }

  nextInQueue(agentId: string, roomId: string): MessageRecord | undefined {
    const queue = this.#queue(agentId, roomId);
    this.#advanceHead(queue, agentId);
    return queue.items[queue.head];
  }

  #advanceHead(queue: Queue, agentId: string): void {
    while (queue.head < queue.items.length && this.deliveryStatus(queue.items[queue.head]!, agentId) === "processed") queue.head++;
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
    this.#changed({ kind: "delivery", message, agentId });
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
    this.#changed({ kind: "delivery", message, agentId });
    return { delivery, attempt };
  }

  /** `/activity`: an agent's "working…" indicator in a room (Band expires it; the watcher keeps the clock). */
  reportActivity(agentId: string, roomId: string, working: boolean): void {
    this.#changed({ kind: "activity", roomId, agentId, working });
  }
}
