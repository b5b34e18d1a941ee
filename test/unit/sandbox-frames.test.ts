import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBandEvent } from "../../src/realtime/events.js";
import { parseTopic, TOPIC_EVENTS } from "../../src/realtime/topics.js";
import { sendControl, sendFrames, type SendFrame } from "../../src/sandbox/socket-frames.js";
import { BandStore } from "../../src/sandbox/store.js";

/**
 * The sandbox's frames read by our client's own parser (src/realtime): a topic the client would not recognise,
 * or an event it listens for that fails to parse, is a sandbox that no longer speaks the client's Band.
 */
interface Sent {
  agentId: string;
  topic: string;
  event: string;
  payload: object;
}

function world() {
  const store = new BandStore();
  const sent: Sent[] = [];
  const send: SendFrame = (agentId, topic, event, payload) => sent.push({ agentId, topic, event, payload }) > 0;
  store.watch((event) => sendFrames(store, event, send));
  const ada = store.addUser({ name: "Ada Lovelace", handle: "ada" });
  const agent = store.addAgent({ name: "Assistant", ownerId: ada.id });
  const other = store.addAgent({ name: "Helper", ownerId: ada.id });
  return { store, sent, send, ada, agent, other };
}

/** What our client makes of a frame: the topic's kind and id, and the typed event when it listens for it. */
function asClient(frame: Sent) {
  const topic = parseTopic(frame.topic);
  if (!topic) return { topic };
  const listened = TOPIC_EVENTS[topic.kind].includes(frame.event);
  const parsed = listened ? parseBandEvent(topic.kind, topic.id, frame.event, frame.payload) : undefined;
  return { topic, listened, parsed };
}

describe("the sandbox's socket frames, as our client reads them", () => {
  it("every room, participant and message frame is on a topic the client joins, an event it listens for, and parses", () => {
    const { store, sent, ada, agent, other } = world();
    const room = store.createRoom({ ownerId: ada.id, title: "Team", memberIds: [agent.id] });
    store.addParticipant(room.id, other.id);
    const message = store.createMessage({ room, sender: ada, content: "hello", mentions: [agent] });
    store.removeParticipant(room.id, other.id);
    store.deleteRoom(room.id);

    const read = sent.map((frame) => ({ ...frame, client: asClient(frame) }));
    for (const frame of read) {
      expect(frame.client.topic, frame.topic).toBeDefined();
      expect(frame.client.listened, `${frame.topic} ${frame.event}`).toBe(true);
      expect(frame.client.parsed, `${frame.topic} ${frame.event}`).toMatchObject({ ok: true });
    }
    const events = read.map((frame) => ({ to: frame.agentId, kind: frame.client.topic!.kind, id: frame.client.topic!.id, event: frame.client.parsed!.ok && frame.client.parsed!.event }));
    expect(events).toEqual([
      { to: agent.id, kind: "agentRooms", id: agent.id, event: { type: "room_added", roomId: room.id, title: "Team" } },
      { to: agent.id, kind: "participants", id: room.id, event: expect.objectContaining({ type: "participant_added", roomId: room.id, participant: expect.objectContaining({ id: other.id, type: "Agent" }) }) },
      { to: other.id, kind: "participants", id: room.id, event: expect.objectContaining({ type: "participant_added", roomId: room.id }) },
      { to: other.id, kind: "agentRooms", id: other.id, event: { type: "room_added", roomId: room.id, title: "Team" } },
      { to: agent.id, kind: "room", id: room.id, event: { type: "message_created", roomId: room.id, message: expect.objectContaining({ id: message.id, chat_room_id: room.id }) } },
      { to: agent.id, kind: "participants", id: room.id, event: { type: "participant_removed", roomId: room.id, participantId: other.id } },
      { to: other.id, kind: "participants", id: room.id, event: { type: "participant_removed", roomId: room.id, participantId: other.id } },
      { to: other.id, kind: "agentRooms", id: other.id, event: { type: "room_gone", roomId: room.id } },
      { to: agent.id, kind: "participants", id: room.id, event: { type: "room_gone", roomId: room.id } },
    ]);
  });

  it("agent.control goes out on the topic the client reads controls from", () => {
    const { sent, send, agent } = world();
    expect(sendControl(send, agent.id, { type: "agent.control", mode: "stop", scope: "agent", agent_id: agent.id, room_id: "room-1", correlation_id: "c-1" })).toBe(true);
    expect(asClient(sent[0]!)).toEqual({
      topic: { kind: "control", id: agent.id },
      listened: true,
      parsed: { ok: true, event: { type: "agent_control", mode: "stop", roomId: "room-1", correlationId: "c-1" } },
    });
  });

  it("contact events go to the agents among the parties, on the topic the client names the contacts topic", () => {
    const { store, sent, ada, agent, other } = world();
    const request = store.contacts.request(agent, other.handle, "hi", true);
    store.contacts.respond(request, "approved");
    store.contacts.remove(agent, { handle: other.handle });
    store.contacts.request(ada, agent.handle, null, false);

    for (const frame of sent) expect(parseTopic(frame.topic), frame.topic).toEqual({ kind: "contacts", id: frame.agentId });
    expect(sent.map((f) => [f.agentId, f.event])).toEqual([
      [other.id, "contact_request_received"],
      [agent.id, "contact_request_updated"],
      [other.id, "contact_request_updated"],
      [agent.id, "contact_added"],
      [other.id, "contact_added"],
      [agent.id, "contact_removed"],
      [other.id, "contact_removed"],
      // A person sends no frames to itself; the agent it asked hears of it.
      [agent.id, "contact_request_received"],
    ]);
    expect(sent[0]!.payload).toEqual({ id: request.id, from_handle: agent.handle, from_name: agent.name, message: "hi", status: "pending", inserted_at: request.insertedAt });
  });

  it("says nothing to agents about renames, processing states, activity or people's rooms", () => {
    const { store, sent, ada, agent } = world();
    const room = store.createRoom({ ownerId: ada.id, title: "Solo" });
    store.renameRoom(room, "Renamed");
    const message = store.createMessage({ room, sender: ada, content: "note to self", mentions: [agent] });
    store.addParticipant(room.id, agent.id);
    sent.length = 0;
    store.markProcessing(message, agent.id);
    store.completeAttempt(message, agent.id, {});
    store.reportActivity(agent.id, room.id, true);
    expect(sent).toEqual([]);
  });

  it("no sandbox module builds a topic name by hand: they all come from realtime's topics", () => {
    const dir = join(import.meta.dirname, "../../src/sandbox");
    // A template (`chat_room:${id}`) or a quoted prefix ("chat_room:"); comments name topics as `chat_room:{id}`.
    const names = "(agent_control|agent_rooms|agent_contacts|chat_room|room_participants):";
    const handBuilt = new RegExp(`\`${names}\\$\\{|["']${names}`);
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith(".ts"))
      .filter((name) => handBuilt.test(readFileSync(join(dir, name), "utf8")));
    expect(offenders).toEqual([]);
  });
});
