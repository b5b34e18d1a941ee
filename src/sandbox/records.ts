import type { Clock } from "./ids.js";

/** The records of the local Band's world (store.ts keeps them; world-file.ts saves and reads them back). */

export type ActorType = "User" | "Agent";
export type Role = "owner" | "admin" | "member";

export interface ActorRecord {
  id: string;
  type: ActorType;
  name: string;
  handle: string;
  key: string;
  description: string | null;
  insertedAt: string;
  updatedAt: string;
  /** Agents: the user who owns them. */
  ownerId?: string;
  /** Agents any agent may recruit (Band's "global agents"). */
  global: boolean;
  isExternal: boolean;
  listedInDirectory: boolean;
  tags: string[];
  /** Users only. */
  email?: string;
  firstName?: string;
  lastName?: string;
}

export interface ParticipantRecord {
  actorId: string;
  role: Role;
  joinedAt: string;
}

export interface RoomRecord {
  id: string;
  title: string | null;
  taskId: string | null;
  type: "direct" | "group" | "task";
  status: "active" | "archived" | "closed";
  titleLocked: boolean;
  insertedAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  /** Insertion-ordered: the listing order. */
  participants: Map<string, ParticipantRecord>;
  /** Oldest first (ascending `seq`). */
  messages: MessageRecord[];
}

export interface MentionMeta {
  id: string;
  handle: string;
  name: string;
}

export type DeliveryStatus = "processing" | "processed" | "failed";

export interface AttemptRecord {
  attempt_number: number;
  status: "processing" | "success" | "failed";
  error?: string;
  started_at: string;
  completed_at?: string;
}

export interface DeliveryRecord {
  status: DeliveryStatus;
  attempts: AttemptRecord[];
}

export interface MessageRecord {
  /** Global creation order; the keyset behind message cursors. */
  seq: number;
  id: string;
  roomId: string;
  content: string;
  messageType: string;
  senderId: string;
  senderType: ActorType;
  senderName: string;
  /** Mention-kind entries only: those are the recipients. */
  mentions: MentionMeta[];
  /** Events carry their structured data here; text messages carry nothing beyond `mentions`. */
  extraMetadata: Record<string, unknown>;
  insertedAt: string;
  updatedAt: string;
  /** Per recipient agent (§6 of PROTOCOL.md). */
  deliveries: Map<string, DeliveryRecord>;
}

/** The default (no `status`) filter is everything not processed. */
export type QueueFilter = "unprocessed" | "pending" | "processing" | "processed" | "failed" | "all";

export type ContactRequestStatus = "pending" | "approved" | "rejected" | "cancelled" | "expired";

export interface ContactRequestRecord {
  id: string;
  requesterId: string;
  recipientId: string;
  message: string | null;
  status: ContactRequestStatus;
  insertedAt: string;
  respondedAt: string | null;
}

/** One side of a contact: each party holds its own record (and record id) for the other. */
export interface ContactRecord {
  id: string;
  ownerId: string;
  contactId: string;
  insertedAt: string;
}

/** What a ledger (contacts, memories, tasks) needs from the store that holds it: a narrow view, no import back. */
export interface StoreAccess {
  readonly clock: Clock;
  actorByHandle(handle: string): ActorRecord | undefined;
  requireActor(id: string): ActorRecord;
  isParticipant(roomId: string, actorId: string): boolean;
}
