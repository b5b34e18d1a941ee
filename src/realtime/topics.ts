/** The agent socket's topics (PROTOCOL.md §5.4): names written once, and the events we listen for on each. */

export const topics = {
  control: (agentId: string) => `agent_control:${agentId}`,
  agentRooms: (agentId: string) => `agent_rooms:${agentId}`,
  contacts: (agentId: string) => `agent_contacts:${agentId}`,
  room: (roomId: string) => `chat_room:${roomId}`,
  participants: (roomId: string) => `room_participants:${roomId}`,
} as const;

export type TopicKind = keyof typeof topics;

const PREFIXES: Record<string, TopicKind> = {
  agent_control: "control",
  agent_rooms: "agentRooms",
  agent_contacts: "contacts",
  chat_room: "room",
  room_participants: "participants",
};

/** What we listen for per topic. `message_updated` is not promised to agents, but Band has been seen sending it. */
export const TOPIC_EVENTS: Record<TopicKind, readonly string[]> = {
  control: ["supersede", "agent.control"],
  agentRooms: ["room_added", "room_removed", "room_deleted"],
  contacts: [],
  room: ["message_created", "message_updated"],
  participants: ["participant_added", "participant_removed", "room_deleted"],
};

/** `chat_room:abc` → {kind: "room", id: "abc"}; undefined for a topic we never join. */
export function parseTopic(topic: string): { kind: TopicKind; id: string } | undefined {
  const index = topic.indexOf(":");
  const prefix = topic.slice(0, index);
  // Own keys only: Band names the topic, and "constructor:x" must not find Object.prototype's member.
  const kind = index < 0 || !Object.hasOwn(PREFIXES, prefix) ? undefined : PREFIXES[prefix];
  return kind ? { kind, id: topic.slice(index + 1) } : undefined;
}
