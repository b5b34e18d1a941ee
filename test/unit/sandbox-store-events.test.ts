import { describe, expect, it } from "vitest";
import { BandStore, type StoreEvent } from "../../src/sandbox/store.js";

/** The store tells what happened, once its records have changed: the facts a watcher needs, nothing worded. */
function world() {
  const store = new BandStore();
  const events: StoreEvent[] = [];
  const unwatch = store.watch((event) => events.push(event));
  const ada = store.addUser({ name: "Ada Lovelace", handle: "ada" });
  const agent = store.addAgent({ name: "Assistant", ownerId: ada.id });
  const other = store.addAgent({ name: "Helper", ownerId: ada.id });
  return { store, events, unwatch, ada, agent, other };
}

describe("the sandbox store's events", () => {
  it("tells rooms and participants after the records changed", () => {
    const { store, events, ada, agent, other } = world();
    expect(events).toEqual([]); // people and agents alone change no room
    const room = store.createRoom({ ownerId: ada.id, title: "Team", memberIds: [agent.id] });
    store.addParticipant(room.id, other.id, "admin");
    store.renameRoom(room, "Crew");
    store.renameRoom(room, "Crew"); // no change, no event
    store.removeParticipant(room.id, other.id);

    expect(events.map((e) => e.type)).toEqual(["room_created", "participant_added", "room_renamed", "participant_removed"]);
    const [created, added, renamed, removed] = events as [
      Extract<StoreEvent, { type: "room_created" }>,
      Extract<StoreEvent, { type: "participant_added" }>,
      Extract<StoreEvent, { type: "room_renamed" }>,
      Extract<StoreEvent, { type: "participant_removed" }>,
    ];
    expect(created.room).toBe(room);
    expect(added).toMatchObject({ room, actor: other, participant: { actorId: other.id, role: "admin" } });
    expect(renamed.room.title).toBe("Crew");
    expect(removed).toMatchObject({ room, actor: other });
    expect(room.participants.has(other.id)).toBe(false);
    expect(Date.parse(removed.removedAt)).toBeGreaterThan(0);
  });

  it("tells a new message with the agents whose queue it entered: mentioned agents, never the sender or a person", () => {
    const { store, events, ada, agent, other } = world();
    const room = store.createRoom({ ownerId: ada.id, memberIds: [agent.id, other.id] });
    events.length = 0;
    const text = store.createMessage({ room, sender: other, content: "hi", mentions: [agent, other, ada] });
    const thought = store.createMessage({ room, sender: agent, content: "thinking", messageType: "thought", mentions: [other] });
    expect(events).toEqual([
      { type: "message_created", message: text, recipients: [agent.id] },
      { type: "message_created", message: thought, recipients: [] },
    ]);
    expect(store.queues.next(agent.id, room.id)).toBe(text);
  });

  it("tells each processing change and activity report, and a deleted room once it is gone", () => {
    const { store, events, ada, agent } = world();
    const room = store.createRoom({ ownerId: ada.id, memberIds: [agent.id] });
    const message = store.createMessage({ room, sender: ada, content: "do it", mentions: [agent] });
    events.length = 0;
    store.markProcessing(message, agent.id);
    store.completeAttempt(message, agent.id, { error: "boom" });
    store.reportActivity(agent.id, room.id, true);
    store.deleteRoom(room.id);
    expect(events).toEqual([
      { type: "processing_changed", message, agentId: agent.id },
      { type: "processing_changed", message, agentId: agent.id },
      { type: "activity_reported", roomId: room.id, agentId: agent.id, working: true },
      { type: "room_deleted", room },
    ]);
    expect(message.deliveries.get(agent.id)?.status).toBe("failed");
    expect(store.room(room.id)).toBeUndefined();
    expect(room.participants.has(agent.id)).toBe(true); // the record still says who was in it
  });

  it("a refused change tells nothing", () => {
    const { store, events, ada, agent } = world();
    const room = store.createRoom({ ownerId: ada.id });
    const message = store.createMessage({ room, sender: ada, content: "x" });
    events.length = 0;
    expect(() => store.completeAttempt(message, agent.id, {})).toThrow(/processing attempt/);
    expect(() => store.createRoom({ ownerId: ada.id, memberIds: ["no-such-actor"] })).toThrow(/no actor/);
    expect(() => store.removeParticipant(room.id, agent.id)).toThrow(/not in room/);
    expect(events).toEqual([]);
  });

  it("tells contact requests, answers, links and unlinks", () => {
    const { store, events, agent, other } = world();
    const request = store.contacts.request(agent, other.handle, null, true);
    store.contacts.respond(request, "approved");
    store.contacts.remove(other, { handle: agent.handle });
    expect(events.map((e) => e.type)).toEqual(["contact_requested", "contact_request_resolved", "contact_added", "contact_added", "contact_removed", "contact_removed"]);
    expect(events[0]).toEqual({ type: "contact_requested", request, from: agent, to: other });
    expect(events[1]).toEqual({ type: "contact_request_resolved", request, requester: agent, recipient: other });
    expect(events[2]).toMatchObject({ owner: agent, other, record: { ownerId: agent.id, contactId: other.id } });
    expect(events[4]).toMatchObject({ owner: other, record: { ownerId: other.id, contactId: agent.id } });
  });

  it("stops telling a watcher that unsubscribed", () => {
    const { store, events, unwatch, ada } = world();
    unwatch();
    store.createRoom({ ownerId: ada.id });
    expect(events).toEqual([]);
  });
});
