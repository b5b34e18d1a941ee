/**
 * Projections of the store's records onto the spec's response schemas. They are typed against the types
 * generated from spec/openapi.json, so a field the spec does not know (or a missing required one) fails
 * the typecheck instead of slipping into tests.
 */
import type { components } from "../band/generated/openapi.js";
import type { MemoryRecord } from "./memories.js";
import type { ActorRecord, ContactRecord, ContactRequestRecord, MessageRecord, ParticipantRecord, RoomRecord } from "./records.js";
import type { BandStore } from "./store.js";

type Schemas = components["schemas"];
/** Schemas whose free-form `metadata` objects the generator types as `Record<string, never>`. */
type WithMetadata<T> = Omit<T, "metadata"> & { metadata?: Record<string, unknown> | null };

export const chatRoom = (room: RoomRecord): Schemas["ChatRoom"] => ({
  id: room.id,
  title: room.title,
  task_id: room.taskId,
  inserted_at: room.insertedAt,
  updated_at: room.updatedAt,
});

/** The spec's ChatMessage, which is also the `message_created` payload agents receive. */
export const chatMessage = (message: MessageRecord) => ({
  id: message.id,
  content: message.content,
  message_type: message.messageType,
  sender_id: message.senderId,
  sender_type: message.senderType,
  sender_name: message.senderName,
  chat_room_id: message.roomId,
  metadata: message.messageType === "text" ? { ...message.extraMetadata, mentions: message.mentions } : { ...message.extraMetadata },
  inserted_at: message.insertedAt,
  updated_at: message.updatedAt,
});

export const meChatRoom = (room: RoomRecord): Schemas["MeChatRoom"] => ({
  ...chatRoom(room),
  type: room.type,
  status: room.status,
  last_message_at: room.lastMessageAt,
});

export const participant = (actor: ActorRecord, record: ParticipantRecord): Schemas["ChatParticipant"] => ({
  id: actor.id,
  type: actor.type,
  role: record.role,
  status: "active",
  name: actor.name,
  handle: actor.handle,
});

export const participantDetails = (actor: ActorRecord, record: ParticipantRecord): Schemas["ChatParticipantDetails"] => ({
  ...participant(actor, record),
  name: actor.name,
  description: actor.description,
  is_external: actor.type === "Agent" ? actor.isExternal : null,
});

export const agentMe = (agent: ActorRecord): Schemas["AgentMe"] => ({
  id: agent.id,
  name: agent.name,
  handle: agent.handle,
  owner_uuid: agent.ownerId ?? agent.id,
  description: agent.description,
  listed_in_directory: agent.listedInDirectory,
  tags: agent.tags,
  inserted_at: agent.insertedAt,
  updated_at: agent.updatedAt,
});

export const peer = (actor: ActorRecord, source: "registry" | "contact", isContact: boolean): Schemas["Peer"] => ({
  id: actor.id,
  name: actor.name,
  handle: actor.handle,
  type: actor.type,
  is_contact: isContact,
  source,
  description: actor.description,
  is_external: actor.type === "Agent" ? actor.isExternal : null,
  listed_in_directory: actor.listedInDirectory,
  tags: actor.tags,
});

export const agentContact = (record: ContactRecord, other: ActorRecord): Schemas["AgentContact"] => ({
  id: record.id,
  handle: other.handle,
  name: other.name,
  type: other.type,
  description: other.description,
  is_external: other.type === "Agent" ? other.isExternal : null,
  listed_in_directory: other.listedInDirectory,
  tags: other.tags,
  inserted_at: record.insertedAt,
});

export const contact = (record: ContactRecord, other: ActorRecord): Schemas["Contact"] => ({
  id: record.id,
  contact_id: other.id,
  contact_type: other.type,
  status: "active",
  source: "request",
  inserted_at: record.insertedAt,
  user: {
    id: other.id,
    handle: other.handle,
    name: other.name,
    ...(other.email ? { email: other.email } : {}),
    listed_in_directory: other.listedInDirectory,
    tags: other.tags,
  },
});

export function receivedRequest(store: BandStore, request: ContactRequestRecord): Schemas["ReceivedContactRequest"] {
  const from = store.actor(request.requesterId);
  return {
    id: request.id,
    from_handle: from?.handle ?? null,
    from_name: from?.name ?? null,
    message: request.message,
    status: request.status === "expired" ? "cancelled" : request.status,
    inserted_at: request.insertedAt,
  };
}

export function sentRequest(store: BandStore, request: ContactRequestRecord): Schemas["SentContactRequest"] {
  const to = store.actor(request.recipientId);
  return {
    id: request.id,
    to_handle: to?.handle ?? null,
    to_name: to?.name ?? null,
    message: request.message,
    status: request.status === "expired" ? "cancelled" : request.status,
    inserted_at: request.insertedAt,
  };
}

export function contactRequest(store: BandStore, request: ContactRequestRecord): Schemas["ContactRequest"] {
  const side = (id: string) => {
    const actor = store.actor(id);
    return actor ? { id: actor.id, handle: actor.handle, name: actor.name } : null;
  };
  return {
    id: request.id,
    requester_id: request.requesterId,
    requester_type: store.actor(request.requesterId)?.type ?? "User",
    requester: side(request.requesterId),
    recipient_id: request.recipientId,
    recipient_type: store.actor(request.recipientId)?.type ?? "User",
    recipient: side(request.recipientId),
    message: request.message,
    status: request.status,
    responded_at: request.respondedAt,
    inserted_at: request.insertedAt,
  };
}

export const agentMemory = (store: BandStore, memory: MemoryRecord): WithMetadata<Schemas["AgentMemory"]> => ({
  id: memory.id,
  content: memory.content,
  system: memory.system,
  type: memory.type,
  segment: memory.segment,
  scope: memory.scope,
  status: memory.status,
  subject_id: memory.subjectId,
  source_agent_id: memory.sourceAgentId,
  organization_id: store.organizationId,
  thought: memory.thought,
  metadata: memory.metadata,
  inserted_at: memory.insertedAt,
});

export const userMemory = (store: BandStore, memory: MemoryRecord): WithMetadata<Schemas["UserMemory"]> => ({
  ...agentMemory(store, memory),
  chat_room_id: memory.chatRoomId,
});

export const userDetails = (user: ActorRecord): Schemas["UserDetails"] => ({
  id: user.id,
  email: user.email ?? "",
  handle: user.handle,
  role: "user",
  first_name: user.firstName ?? user.name,
  last_name: user.lastName ?? "",
  listed_in_directory: user.listedInDirectory,
});

export const myAgent = (agent: ActorRecord): Schemas["MyAgent"] => ({
  id: agent.id,
  name: agent.name,
  description: agent.description,
  slug: agent.handle.split("/").pop() ?? null,
  is_external: agent.isExternal,
  listed_in_directory: agent.listedInDirectory,
  shared_with_organization: agent.global,
  registry_access: true,
  model_type: null,
  system_prompt_id: null,
  tags: agent.tags,
  inserted_at: agent.insertedAt,
  updated_at: agent.updatedAt,
});
