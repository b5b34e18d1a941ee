/**
 * `startBand()`: Band's REST API and Subscriptions socket on one local HTTP server, over the in-memory model
 * (store.ts), with the controls to build a world and the views to inspect it. The sandbox command and the test
 * suite's fake Band (test/fake-band) are both this one model.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseTopic } from "../realtime/topics.js";
import { createRestHandler, type RestHooks } from "./rest.js";
import { chatMessage } from "./shapes.js";
import { BandSocketServer, type SocketServerOptions } from "./socket.js";
import { relayToSockets } from "./socket-frames.js";
import { BandStore, type ActorRecord, type Role } from "./store.js";

export interface Actor {
  id: string;
  name: string;
  handle: string;
  type: "User" | "Agent";
  key: string;
}

export type ChatMessage = ReturnType<typeof chatMessage>;

export interface DeliveryView {
  status: "none" | "processing" | "processed" | "failed";
  attempts: { attempt_number: number; status: string; error?: string }[];
}

/** Answers the request and returns true, or returns false to leave it to Band's API. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface BandOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). A list: the first of them that is free (EADDRINUSE from the last when none is). */
  port?: number | readonly number[];
  /** Passed to the BandSocketServer: a shorter idle timeout for heartbeat tests, a log sink, who is connected. */
  socket?: Pick<SocketServerOptions, "idleTimeoutMs" | "log" | "record" | "onConnection">;
  rest?: RestHooks;
  /** Refuse new messages past this many (507); unbounded by default. */
  maxMessages?: number;
  /** Routes outside `/api/`, served before Band's (the sandbox's web chat and control API). */
  extraRoutes?: (store: BandStore, socket: BandSocketServer) => ExtraRoutes;
}

export interface Band {
  url: string;
  wsUrl: string;
  store: BandStore;
  socket: BandSocketServer;
  addAgent(fields?: Partial<Omit<Actor, "type" | "key">> & { ownerId?: string }): Actor;
  addUser(fields?: Partial<Omit<Actor, "type" | "key">>): Actor;
  createRoom(options: { title?: string; ownerId: string; memberIds?: string[] }): { id: string; title: string };
  addParticipant(roomId: string, participantId: string, role?: Role): void;
  removeParticipant(roomId: string, participantId: string): void;
  deleteRoom(roomId: string): void;
  /**
   * A message posted by someone else (as if through Band's UI or another agent): stored with `@[[id]]` tokens
   * prepended for mentions not already in the text, and pushed as `message_created` to each mentioned agent.
   */
  postMessage(roomId: string, options: { senderId: string; content: string; mentions: string[]; messageType?: string }): ChatMessage;
  delivery(messageId: string, agentId: string): DeliveryView;
  messages(roomId: string): ChatMessage[];
  close(): Promise<void>;
}

export const actorView = (actor: ActorRecord): Actor => ({ id: actor.id, name: actor.name, handle: actor.handle, type: actor.type, key: actor.key });

/** Topics an agent may join: its own agent-scoped topics, and the topics of rooms it participates in. */
function canJoin(store: BandStore, agentId: string, topic: string): boolean {
  const parsed = parseTopic(topic);
  switch (parsed?.kind) {
    case "control":
    case "agentRooms":
    case "contacts":
      return parsed.id === agentId;
    case "room":
    case "participants":
      return store.isParticipant(parsed.id, agentId);
    default:
      return false;
  }
}

/** An agent key authenticates its agent; an owner's user key authenticates the agent named by `agent_id`. */
function authenticate(store: BandStore, key: string, agentIdParam: string | undefined): { agentId: string } | undefined {
  const actor = store.actorByKey(key);
  if (actor?.type === "Agent") return { agentId: actor.id };
  if (actor?.type === "User" && agentIdParam !== undefined) {
    const agent = store.actor(agentIdParam);
    if (agent?.type === "Agent" && agent.ownerId === actor.id) return { agentId: agent.id };
  }
  return undefined;
}

export async function startBand(options: BandOptions = {}): Promise<Band> {
  const socket = new BandSocketServer({
    authenticate: (key, agentIdParam) => authenticate(store, key, agentIdParam),
    canJoin: (agentId, topic) => canJoin(store, agentId, topic),
    ...options.socket,
  });
  const store = new BandStore({ maxMessages: options.maxMessages });
  // First of the store's watchers: agents hear of a change before the web chat and the world file do.
  relayToSockets(store, (agentId, topic, event, payload) => socket.push(agentId, topic, event, payload));

  const rest = createRestHandler(store, options.rest);
  const extra = options.extraRoutes?.(store, socket);
  const server = createServer((req, res) => {
    if (extra && !(req.url ?? "/").startsWith("/api/") && extra(req, res)) return;
    rest(req, res);
  });
  socket.attach(server);
  const host = options.host ?? "127.0.0.1";
  const ports = typeof options.port === "number" || options.port === undefined ? [options.port ?? 0] : options.port;
  for (const [index, candidate] of ports.entries()) {
    try {
      await listen(server, host, candidate);
      break;
    } catch (error) {
      if (index === ports.length - 1 || (error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    }
  }
  const { port } = server.address() as AddressInfo;
  let roomCount = 0;

  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/api/v1/socket`,
    store,
    socket,
    addAgent: (fields = {}) => actorView(store.addAgent(fields)),
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
      return chatMessage(message);
    },
    delivery: (messageId, agentId) => {
      const delivery = store.messagesById.get(messageId)?.deliveries.get(agentId);
      if (!delivery) return { status: "none", attempts: [] };
      return {
        status: delivery.status,
        attempts: delivery.attempts.map(({ attempt_number, status, error }) => ({ attempt_number, status, ...(error === undefined ? {} : { error }) })),
      };
    },
    messages: (roomId) => store.requireRoom(roomId).messages.map(chatMessage),
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
