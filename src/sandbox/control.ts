/**
 * The sandbox's own HTTP surface beside Band's API: the web chat's static files and the control API
 * (`/sandbox/api/…`, documented in docs/sandbox.md) that the page and users' CI scripts drive.
 *
 * Only this machine may use it: the server listens on loopback, requests must name a loopback Host (a page on
 * another site re-pointed at 127.0.0.1 by DNS cannot drive it), and writes must be JSON (which a cross-site
 * form cannot send without a CORS preflight, which is never granted).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { rebindingProblem } from "../loopback.js";
import { serveAsset } from "./assets.js";
import { BandFailure } from "./errors.js";
import { CONTROL_MODES, type AgentControls, type ControlMode } from "./agent-control.js";
import type { ChatFeed } from "./feed.js";
import type { Presence } from "./presence.js";
import { validateMessage } from "./mentions.js";
import type { ActorRecord, BandStore } from "./store.js";
import type { Demo } from "./demo.js";
import type { WorldStorage } from "./world-file.js";
import { messageView, personView, roomView, typedMentions } from "./views.js";

const API = "/sandbox/api";
/** Control requests are small; anything bigger is refused before it is read whole. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_CONTENT_CHARS = 16_384;
const MAX_ROOMS = 200;
const MAX_LIST = 500;

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
}

function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      reject(new ControlError(415, "unsupported_media_type", 'Send the body as JSON with "Content-Type: application/json".'));
      return;
    }
    const tooLarge = new ControlError(413, "body_too_large", `The body is over ${MAX_BODY_BYTES} bytes.`);
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      reject(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the cap the rest is read and dropped, so the 413 still reaches the client.
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return reject(tooLarge);
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
        resolve(body as Json);
      } catch {
        reject(new ControlError(400, "bad_json", "The body must be a JSON object."));
      }
    });
    req.on("error", reject);
  });
}

const text = (body: Json, name: string, required: boolean): string | undefined => {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new ControlError(422, "invalid", `"${name}" must be a non-empty string.`);
  return value;
};

/** Where the world is kept, and why the last save failed if it did: the page says both. */
export type StorageReport = () => { storage: WorldStorage; problem: string | undefined };

/** What the control API reads and drives. */
export interface SandboxParts {
  store: BandStore;
  feed: ChatFeed;
  demo: Demo;
  presence: Presence;
  controls: AgentControls;
  kept: StorageReport;
}

export function controlRoutes({ store, feed, demo, presence, controls, kept }: SandboxParts): (req: IncomingMessage, res: ServerResponse) => boolean {
  /** A person (or the agent) by id or handle. */
  const actorNamed = (name: string, field: string): ActorRecord => {
    const actor = store.actor(name) ?? store.actorByHandle(name);
    if (!actor) throw new ControlError(422, "unknown_actor", `"${field}": no one is called ${JSON.stringify(name)}. GET ${API}/world lists the people.`);
    return actor;
  };
  const roomNamed = (id: string) => {
    const room = store.room(id);
    if (!room) throw new ControlError(404, "room_not_found", `No room ${JSON.stringify(id)}. GET ${API}/rooms lists them.`);
    return room;
  };
  const rooms = () => [...store.rooms.values()].map((room) => ({ ...roomView(store, room), working: feed.working(room.id) }));

  const handlers: { method: string; path: RegExp; run(match: string[], req: IncomingMessage, res: ServerResponse): Promise<void> | void }[] = [
    {
      method: "GET",
      path: /^\/world$/,
      run: (_m, _req, res) => reply(res, 200, { world: worldView(demo, kept()), agent: personView(demo.agent), people: demo.people.map(personView), online: presence.online(), paused: controls.paused(demo.agent.id), rooms: rooms() }),
    },
    { method: "GET", path: /^\/rooms$/, run: (_m, _req, res) => reply(res, 200, { rooms: rooms() }) },
    {
      method: "POST",
      path: /^\/rooms$/,
      async run(_m, req, res) {
        const body = await readJson(req);
        if (store.rooms.size >= MAX_ROOMS) throw new ControlError(409, "too_many_rooms", `The sandbox holds at most ${MAX_ROOMS} rooms; delete its world file (see GET ${API}/world) and restart it for a clean slate.`);
        const title = text(body, "title", true)!.slice(0, 200);
        const owner = actorNamed(text(body, "as", false) ?? demo.people[0]!.id, "as");
        const named = body.participants;
        if (named !== undefined && (!Array.isArray(named) || named.some((n) => typeof n !== "string") || named.length > 50)) {
          throw new ControlError(422, "invalid", '"participants" must be a list of up to 50 handles or ids.');
        }
        const members = named === undefined ? [...demo.people, demo.agent] : (named as string[]).map((n) => actorNamed(n, "participants"));
        const room = store.createRoom({ ownerId: owner.id, title, memberIds: members.map((m) => m.id), type: "group" });
        reply(res, 201, { ...roomView(store, room), working: [] });
      },
    },
    {
      method: "GET",
      path: /^\/rooms\/([^/]+)$/,
      run: ([id], _req, res) => {
        const room = roomNamed(id!);
        reply(res, 200, { ...roomView(store, room), working: feed.working(room.id) });
      },
    },
    {
      method: "GET",
      path: /^\/rooms\/([^/]+)\/messages$/,
      run: ([id], _req, res) => {
        const room = roomNamed(id!);
        // The newest ones, oldest first: what a chat window shows.
        reply(res, 200, { messages: room.messages.slice(-MAX_LIST).map((m) => messageView(store, m)) });
      },
    },
    {
      method: "POST",
      path: /^\/rooms\/([^/]+)\/messages$/,
      async run([id], req, res) {
        const room = roomNamed(id!);
        const body = await readJson(req);
        const sender = actorNamed(text(body, "as", true)!, "as");
        if (!room.participants.has(sender.id)) throw new ControlError(403, "not_a_participant", `${sender.handle} is not in this room.`);
        const raw = text(body, "content", true)!;
        if (raw.length > MAX_CONTENT_CHARS) throw new ControlError(422, "content_too_long", `"content" is over ${MAX_CONTENT_CHARS} characters.`);
        const typed = typedMentions(store, room, raw);
        const mentions = typed.mentionIds.map((mentionId) => ({ id: mentionId }));
        // Band's own validation: at least one mention, nobody outside the room, not yourself.
        const valid = validateMessage(store, room, sender, { message: { content: typed.content, mentions } });
        const message = store.createMessage({ room, sender, content: valid.content, mentions: valid.mentions });
        reply(res, 201, messageView(store, message));
      },
    },
    {
      method: "GET",
      path: /^\/messages\/([^/]+)$/,
      run: ([id], _req, res) => {
        const message = store.messagesById.get(id!);
        if (!message) throw new ControlError(404, "message_not_found", `No message ${JSON.stringify(id)}.`);
        reply(res, 200, messageView(store, message));
      },
    },
    {
      method: "POST",
      path: /^\/agents\/([^/]+)\/control$/,
      async run([id], req, res) {
        const body = await readJson(req);
        const agent = actorNamed(id!, "agent");
        const { mode, room_id: roomId } = body;
        if (agent.type !== "Agent") throw new ControlError(422, "not_an_agent", `${agent.handle} is a person; controls are for agents.`);
        if (!CONTROL_MODES.includes(mode as ControlMode)) throw new ControlError(422, "invalid", `"mode" must be one of ${CONTROL_MODES.join(", ")}.`);
        if (roomId !== undefined && roomId !== null && (typeof roomId !== "string" || !roomNamed(roomId).participants.has(agent.id))) {
          throw new ControlError(422, "invalid", `"room_id" must name a room ${agent.handle} is in, or be left out for every room.`);
        }
        const reason = text(body, "reason", false)?.slice(0, 200);
        const outcome = controls.send(agent.id, mode as ControlMode, roomId ?? undefined, reason);
        if (!outcome.sent) throw new ControlError(409, "agent_offline", `Nothing is connected as ${agent.handle} to receive it (no socket on its agent_control topic): nothing was sent.`);
        reply(res, 202, { agent_id: agent.id, mode, room_id: roomId ?? null, correlation_id: outcome.correlationId, paused: outcome.paused });
      },
    },
    { method: "GET", path: /^\/events$/, run: (_m, req, res) => feed.subscribe(req, res) },
  ];

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = (req.method ?? "GET").toUpperCase();
    if (!url.pathname.startsWith(`${API}/`)) return serveAsset(url.pathname, method, res);
    const problem = rebindingProblem(req);
    if (problem) {
      reply(res, 403, { error: { code: "forbidden_host", message: `${problem}: the sandbox answers only this machine.` } });
      return true;
    }
    const path = url.pathname.slice(API.length);
    const route = handlers.find((h) => h.method === method && h.path.test(path));
    if (!route) {
      reply(res, 404, { error: { code: "not_found", message: `No ${method} ${url.pathname}. See docs/sandbox.md for the control API.` } });
      return true;
    }
    Promise.resolve()
      .then(() => route.run(route.path.exec(path)!.slice(1).map(decodeURIComponent), req, res))
      .catch((error: unknown) => {
        if (error instanceof ControlError) reply(res, error.status, { error: { code: error.code, message: error.message } });
        else if (error instanceof BandFailure) reply(res, error.status, { error: { code: error.code, message: error.message } });
        else reply(res, 500, { error: { code: "internal_error", message: error instanceof Error ? error.message : String(error) } });
      });
    return true;
  };
}

/** The world's identity and where it is kept, as the page shows them. */
function worldView(demo: Demo, { storage, problem }: ReturnType<StorageReport>) {
  return {
    id: demo.worldId,
    kept_in: storage.kind === "file" ? storage.file : null,
    ...(storage.kind === "busy" ? { temporary: `another sandbox (pid ${storage.holderPid}) keeps ${storage.dir}` } : {}),
    ...(storage.kind === "memory" ? { temporary: "this sandbox keeps its world in memory only" } : {}),
    ...(problem ? { not_saved: problem } : {}),
  };
}
