/**
 * `startFakeBand()`: Band's REST API and Subscriptions socket on 127.0.0.1, with a seeded world, controls to
 * build worlds and inject faults, and records for assertions. The contract is README.md beside this file.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { addRandomFailures, type RandomFailures, type RandomFailuresHandle } from "./faults.js";
import { createRestHandler, type FailRule, type RecordedRequest } from "../../src/sandbox/rest.js";
import { FakeSocketServer } from "../../src/sandbox/socket.js";
import { FakeStore, type ActorRecord, type Role } from "../../src/sandbox/store.js";

export interface Actor {
  id: string;
  name: string;
  handle: string;
  type: "User" | "Agent";
  key: string;
}

export type ChatMessage = ReturnType<FakeStore["chatMessage"]>;

export interface DeliveryView {
  status: "none" | "processing" | "processed" | "failed";
  attempts: { attempt_number: number; status: string; error?: string }[];
}

export interface StartOptions {
  /** Seed the standard world (agent, user, peer, room); default true. */
  seed?: boolean;
  /** Passed to the FakeSocketServer: a shorter idle timeout for heartbeat tests, a log sink. */
  socket?: { idleTimeoutMs?: number; log?: (line: string) => void };
}

export interface FakeBand {
  url: string;
  wsUrl: string;
  agent: Actor;
  user: Actor;
  peer: Actor;
  room: { id: string; title: string };
  addAgent(fields?: Partial<Omit<Actor, "type" | "key">>): Actor;
  addUser(fields?: Partial<Omit<Actor, "type" | "key">>): Actor;
  createRoom(options: { title?: string; ownerId: string; memberIds?: string[] }): { id: string; title: string };
  addParticipant(roomId: string, participantId: string, role?: Role): void;
  removeParticipant(roomId: string, participantId: string): void;
  deleteRoom(roomId: string): void;
  postMessage(roomId: string, options: { senderId: string; content: string; mentions: string[]; messageType?: string }): ChatMessage;
  requests: RecordedRequest[];
  delivery(messageId: string, agentId: string): DeliveryView;
  messages(roomId: string): ChatMessage[];
  failNext(count: number, status: number, options?: { path?: RegExp; method?: string; retryAfter?: number; code?: string }): void;
  /** Fails a seeded share of REST calls until stopped (faults.ts). */
  failRandomly(options: RandomFailures): RandomFailuresHandle;
  socket: FakeSocketServer;
  close(): Promise<void>;
}

const actorView = (actor: ActorRecord): Actor => ({ id: actor.id, name: actor.name, handle: actor.handle, type: actor.type, key: actor.key });

/** Topics an agent may join: its own agent-scoped topics, and the topics of rooms it participates in. */
function canJoin(store: FakeStore, agentId: string, topic: string): boolean {
  const separator = topic.indexOf(":");
  if (separator < 0) return false;
  const kind = topic.slice(0, separator);
  const id = topic.slice(separator + 1);
  switch (kind) {
    case "agent_control":
    case "agent_rooms":
    case "agent_contacts":
      return id === agentId;
    case "chat_room":
    case "room_participants":
      return store.isParticipant(id, agentId);
    default:
      return false;
  }
}

/** An agent key authenticates its agent; an owner's user key authenticates the agent named by `agent_id`. */
function authenticate(store: FakeStore, key: string, agentIdParam: string | undefined): { agentId: string } | undefined {
  const actor = store.actorByKey(key);
  if (actor?.type === "Agent") return { agentId: actor.id };
  if (actor?.type === "User" && agentIdParam !== undefined) {
    const agent = store.actor(agentIdParam);
    if (agent?.type === "Agent" && agent.ownerId === actor.id) return { agentId: agent.id };
  }
  return undefined;
}

export async function startFakeBand(options: StartOptions = {}): Promise<FakeBand> {
  const requests: RecordedRequest[] = [];
  const failRules: FailRule[] = [];
  const socket = new FakeSocketServer({
    authenticate: (key, agentIdParam) => authenticate(store, key, agentIdParam),
    canJoin: (agentId, topic) => canJoin(store, agentId, topic),
    ...options.socket,
  });
  const store = new FakeStore((agentId, topic, event, payload) => void socket.push(agentId, topic, event, payload));

  const server = createServer(createRestHandler(store, requests, failRules));
  socket.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let seeded: { agent: Actor; user: Actor; peer: Actor; room: { id: string; title: string } } | undefined;
  if (options.seed !== false) {
    const user = store.addUser({ name: "Alice Smith", handle: "alice" });
    const agent = store.addAgent({ name: "Helper", handle: "alice/helper", ownerId: user.id });
    const peer = store.addAgent({ name: "Reviewer", handle: "alice/reviewer", ownerId: user.id });
    const room = store.createRoom({ title: "Project room", ownerId: user.id, memberIds: [agent.id, peer.id], type: "group" });
    seeded = { agent: actorView(agent), user: actorView(user), peer: actorView(peer), room: { id: room.id, title: "Project room" } };
  }
  const world = () => {
    if (!seeded) throw new Error("fake band: started with seed: false, so there is no seeded world");
    return seeded;
  };
  let roomCount = 0;

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/api/v1/socket`,
    get agent() {
      return world().agent;
    },
    get user() {
      return world().user;
    },
    get peer() {
      return world().peer;
    },
    get room() {
      return world().room;
    },

    addAgent: (fields = {}) => actorView(store.addAgent({ ...fields, ownerId: seeded?.user.id })),
    addUser: (fields = {}) => actorView(store.addUser(fields)),
    createRoom: ({ title, ownerId, memberIds }) => {
      const room = store.createRoom({ title: title ?? `Room ${++roomCount}`, ownerId, memberIds, type: (memberIds?.length ?? 0) > 1 ? "group" : "direct" });
      return { id: room.id, title: room.title ?? "" };
    },
    addParticipant: (roomId, participantId, role = "member") => void store.addParticipant(roomId, participantId, role),
    removeParticipant: (roomId, participantId) => void store.removeParticipant(roomId, participantId),
    deleteRoom: (roomId) => store.deleteRoom(roomId),
    postMessage: (roomId, { senderId, content, mentions, messageType }) => {
      const mentioned = mentions.map((id) => store.requireActor(id));
      const message = store.createMessage({ room: store.requireRoom(roomId), sender: store.requireActor(senderId), content, mentions: mentioned, messageType });
      return store.chatMessage(message);
    },

    requests,
    delivery: (messageId, agentId) => {
      const delivery = store.messagesById.get(messageId)?.deliveries.get(agentId);
      if (!delivery) return { status: "none", attempts: [] };
      return {
        status: delivery.status,
        attempts: delivery.attempts.map(({ attempt_number, status, error }) => ({ attempt_number, status, ...(error === undefined ? {} : { error }) })),
      };
    },
    messages: (roomId) => store.requireRoom(roomId).messages.map((m) => store.chatMessage(m)),

    failNext: (count, status, rule = {}) => {
      if (count > 0) failRules.push({ remaining: count, status, ...rule });
    },
    failRandomly: (options) => addRandomFailures(failRules, options),
    socket,
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
