/**
 * What happens in the local Band's world, told by the store once its records have changed. The store knows
 * nothing of sockets or pages: socket-frames.ts turns these into the frames Band sends agents, feed.ts into
 * the web chat's updates, world-file.ts into saves.
 */
import type { ActorRecord, ContactRecord, ContactRequestRecord, MessageRecord, ParticipantRecord, RoomRecord } from "./records.js";

export type ContactEvent =
  | { type: "contact_requested"; request: ContactRequestRecord; from: ActorRecord; to: ActorRecord }
  /** Approved, rejected or cancelled; both parties hear of it. */
  | { type: "contact_request_resolved"; request: ContactRequestRecord; requester: ActorRecord; recipient: ActorRecord }
  /** `owner` now holds `record` for `other` (an approval links both ways: two events). */
  | { type: "contact_added"; owner: ActorRecord; other: ActorRecord; record: ContactRecord }
  | { type: "contact_removed"; owner: ActorRecord; record: ContactRecord };

export type StoreEvent =
  /** With its owner and first members already in it. */
  | { type: "room_created"; room: RoomRecord }
  | { type: "room_renamed"; room: RoomRecord }
  /** Gone from the store; the record still lists who was in it. */
  | { type: "room_deleted"; room: RoomRecord }
  | { type: "participant_added"; room: RoomRecord; actor: ActorRecord; participant: ParticipantRecord }
  /** No longer in `room.participants`. */
  | { type: "participant_removed"; room: RoomRecord; actor: ActorRecord; removedAt: string }
  /** `recipients`: the agents whose queue it entered (text that mentions them, not sent by them). */
  | { type: "message_created"; message: MessageRecord; recipients: readonly string[] }
  /** An attempt opened or closed: the message's delivery to `agentId` changed. */
  | { type: "processing_changed"; message: MessageRecord; agentId: string }
  /** `/activity`: an agent's "working…" report (Band expires it; the feed keeps the clock). */
  | { type: "activity_reported"; roomId: string; agentId: string; working: boolean }
  | ContactEvent;

export type StoreEventType = StoreEvent["type"];
