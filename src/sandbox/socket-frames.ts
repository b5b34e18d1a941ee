/**
 * The socket's side of the world: each store event becomes the events Band pushes to agents (PROTOCOL.md §5.4,
 * §5.5), on topics named by realtime/topics.ts, the same names our client joins. Payloads carry the union of
 * the fields the TS and Python SDKs require, so both accept them.
 */
import { topics } from "../realtime/topics.js";
import type { ContactEvent, StoreEvent } from "./events.js";
import type { ActorRecord, RoomRecord } from "./records.js";
import { chatMessage } from "./shapes.js";
import type { BandStore } from "./store.js";

/** Sends one event on one agent's topic; false when that agent's socket has not joined it. */
export type SendFrame = (agentId: string, topic: string, event: string, payload: object) => boolean;

/** Sends to the agents of `event` what Band would send them; events agents never hear of send nothing. */
export function sendFrames(store: BandStore, event: StoreEvent, send: SendFrame): void {
  switch (event.type) {
    case "room_created":
      for (const actorId of event.room.participants.keys()) roomAdded(store, event.room, store.actor(actorId), send);
      return;
    case "participant_added": {
      const { room, actor } = event;
      toAgentsIn(store, room, send, topics.participants(room.id), "participant_added", {
        id: actor.id,
        name: actor.name,
        type: actor.type,
        handle: actor.handle,
        role: event.participant.role,
        status: "active",
        ...(actor.description ? { description: actor.description } : {}),
        is_external: actor.isExternal,
      });
      roomAdded(store, room, actor, send);
      return;
    }
    case "participant_removed": {
      const { room, actor } = event;
      // Everyone who was in the room hears it, the one removed included.
      const payload = { id: actor.id, type: actor.type };
      toAgentsIn(store, room, send, topics.participants(room.id), "participant_removed", payload);
      if (actor.type !== "Agent") return;
      send(actor.id, topics.participants(room.id), "participant_removed", payload);
      send(actor.id, topics.agentRooms(actor.id), "room_removed", {
        id: room.id,
        title: room.title ?? "",
        task_id: room.taskId,
        status: room.status,
        type: room.type,
        removed_at: event.removedAt,
        inserted_at: room.insertedAt,
        updated_at: room.updatedAt,
      });
      return;
    }
    case "room_deleted":
      toAgentsIn(store, event.room, send, topics.participants(event.room.id), "room_deleted", { id: event.room.id });
      return;
    case "message_created":
      for (const agentId of event.recipients) send(agentId, topics.room(event.message.roomId), "message_created", chatMessage(event.message));
      return;
    case "room_renamed":
    case "processing_changed":
    case "activity_reported":
      // Band pushes none of these to agents (§5.4: no message_updated or room update on an agent's socket).
      return;
    default:
      contactFrames(event, send);
  }
}

/** Contact events go to the agents among the parties, on their own contacts topic. */
function contactFrames(event: ContactEvent, send: SendFrame): void {
  const toAgent = (actor: ActorRecord, name: string, payload: object) => {
    if (actor.type === "Agent") send(actor.id, topics.contacts(actor.id), name, payload);
  };
  switch (event.type) {
    case "contact_requested": {
      const { request, from } = event;
      toAgent(event.to, "contact_request_received", {
        id: request.id,
        from_handle: from.handle,
        from_name: from.name,
        ...(request.message === null ? {} : { message: request.message }),
        status: "pending",
        inserted_at: request.insertedAt,
      });
      return;
    }
    case "contact_request_resolved":
      for (const party of [event.requester, event.recipient]) toAgent(party, "contact_request_updated", { id: event.request.id, status: event.request.status });
      return;
    case "contact_added": {
      const { other, record } = event;
      toAgent(event.owner, "contact_added", {
        id: record.id,
        handle: other.handle,
        name: other.name,
        type: other.type,
        ...(other.description ? { description: other.description } : {}),
        is_external: other.isExternal,
        inserted_at: record.insertedAt,
      });
      return;
    }
    case "contact_removed":
      toAgent(event.owner, "contact_removed", { id: event.record.id });
  }
}

function roomAdded(store: BandStore, room: RoomRecord, actor: ActorRecord | undefined, send: SendFrame): void {
  if (actor?.type !== "Agent") return;
  const owner = [...room.participants.values()].find((p) => p.role === "owner");
  const ownerActor = owner ? store.actor(owner.actorId) : undefined;
  send(actor.id, topics.agentRooms(actor.id), "room_added", {
    id: room.id,
    title: room.title,
    task_id: room.taskId,
    status: room.status,
    type: room.type,
    inserted_at: room.insertedAt,
    updated_at: room.updatedAt,
    created_at: room.insertedAt,
    participant_role: room.participants.get(actor.id)?.role ?? "member",
    ...(ownerActor ? { owner: { id: ownerActor.id, name: ownerActor.name, type: ownerActor.type } } : {}),
  });
}

/** Every agent participant of the room: those are the ones whose sockets may hold its topics. */
function toAgentsIn(store: BandStore, room: RoomRecord, send: SendFrame, topic: string, name: string, payload: object): void {
  for (const actorId of room.participants.keys()) {
    if (store.actor(actorId)?.type === "Agent") send(actorId, topic, name, payload);
  }
}

/** Band's controls for an agent (agent-control.ts) go out on its control topic. */
export function sendControl(send: SendFrame, agentId: string, payload: object): boolean {
  return send(agentId, topics.control(agentId), "agent.control", payload);
}

/** From now on, every store event reaches the agents' sockets as Band's frames; returns the unsubscribe. */
export function relayToSockets(store: BandStore, send: SendFrame): () => void {
  return store.watch((event) => sendFrames(store, event, send));
}
