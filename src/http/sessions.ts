import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "../app.js";
import type { InboxView } from "../inbox/view.js";
import type { Logger } from "../log.js";
import type { ToolCallObserver } from "../mcp/register.js";
import { isInitializeBody, openStreamableSession, requestIdsOf, type StreamableSession } from "../mcp/streamable.js";
import { header, readJson, sendJsonRpcError } from "./io.js";

interface Session {
  id: string;
  /** The agent whose endpoint opened it: the session exists on that endpoint only. */
  label: string;
  mcp: StreamableSession;
  inbox: InboxView | undefined;
  lastSeen: number;
  /**
   * POSTs in progress (a long wait, say): each owes its client an answer, so a session with one is not idle.
   * The standalone GET stream does not count: a client that vanished without closing may leave it open forever.
   */
  posts: number;
  closing: boolean;
}

export interface SessionSettings {
  /** A session without requests for this long is closed. */
  idleMs: number;
  /** Open sessions across all agents. */
  maxSessions: number;
  /** The observer of an agent's tool calls (metrics). */
  toolCalls?: (label: string) => ToolCallObserver;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The MCP sessions of every agent's endpoint: one MCP server object and transport per session (src/mcp), over
 * that agent's one Band connection and inbox (its sessions compete for its messages).
 */
export class McpSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly settings: SessionSettings,
  ) {
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(10, Math.min(settings.idleMs / 2, 60_000)));
    this.#sweeper.unref();
  }

  count(label?: string): number {
    if (label === undefined) return this.#sessions.size;
    let n = 0;
    for (const s of this.#sessions.values()) if (s.label === label) n++;
    return n;
  }

  async handle(label: string, app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = header(req, "mcp-session-id");
    const found = sessionId === undefined ? undefined : this.#sessions.get(sessionId);
    const session = found?.label === label ? found : undefined;
    if (sessionId !== undefined && !session) return sendJsonRpcError(res, 404, -32001, "Session not found (it expired or was closed): initialize a new session.");
    if (session && req.method !== "POST") return track(session, res, () => session.mcp.handle(req, res));
    if (req.method !== "POST") return sendJsonRpcError(res, 400, -32000, "Bad request: no mcp-session-id header; start with an initialize request (POST).");
    const body = await readJson(req, MAX_BODY_BYTES);
    if (!body.ok) {
      return sendJsonRpcError(res, body.tooLarge ? 413 : 400, body.tooLarge ? -32000 : -32700, body.tooLarge ? body.message : `Parse error: ${body.message}`);
    }
    if (Array.isArray(body.value) && body.value.length === 0) return sendJsonRpcError(res, 400, -32600, "Invalid Request: an empty JSON-RPC batch; send at least one message.");
    if (session) {
      cancelOnDisconnect(session, res, body.value);
      return track(session, res, () => session.mcp.handle(req, res, body.value), 1);
    }
    if (!isInitializeBody(body.value)) return sendJsonRpcError(res, 400, -32000, "Bad request: no mcp-session-id header; start with an initialize request.");
    if (!(await this.#makeRoom())) {
      return sendJsonRpcError(res, 503, -32000, `Too many open sessions (${this.settings.maxSessions}), all busy with requests; retry shortly, or close sessions you no longer use (DELETE on the endpoint).`);
    }
    return this.#open(label, app, req, res, body.value);
  }

  /**
   * Ends every session's blocked waits with their normal empty result (the server is stopping). Their messages
   * are not handed on: the process is going away, and Band still has them unprocessed for the next one.
   */
  async release(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.all([...this.#sessions.values()].map((s) => s.inbox?.close({ requeue: false })));
  }

  /** Closes every session and its transport (after release, once their calls have answered). */
  async close(): Promise<void> {
    await this.release();
    await Promise.all([...this.#sessions.values()].map((s) => this.#close(s, "server shutting down", false)));
  }

  /** A new session for an initialize request: it is kept once the transport has assigned its id. */
  async #open(label: string, app: App, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const inbox = app.live?.view({ owned: true });
    let session: Session | undefined;
    const onToolCall = this.settings.toolCalls?.(label);
    const mcp = await openStreamableSession(app, inbox, {
      ...(onToolCall ? { onToolCall } : {}),
      onInitialized: (id) => {
        session = { id, label, mcp, inbox, lastSeen: Date.now(), posts: 0, closing: false };
        this.#sessions.set(id, session);
        app.log.info(`MCP session ${id} opened`, { sessions: this.#sessions.size });
      },
      onClosed: () => {
        if (session) void this.#close(session, "closed by the client");
      },
    });
    await mcp.handle(req, res, body);
    if (!session) {
      // The initialize request was refused: nothing to keep.
      await inbox?.close({ requeue: false });
      await mcp.close();
    }
  }

  async #close(session: Session, reason: string, requeue = true): Promise<void> {
    if (session.closing) return;
    session.closing = true;
    this.#sessions.delete(session.id);
    this.log.info(`MCP session ${session.id} of agent ${session.label} closed (${reason})`, { sessions: this.#sessions.size });
    // Waits end first, so their messages can go to other sessions; then the transport and server go.
    await session.inbox?.close({ requeue }).catch((error: unknown) => this.log.warn("could not hand a closed session's messages on", { error: String(error) }));
    await session.mcp.close();
  }

  /**
   * At the session limit a newcomer still gets in: the least recently used session with no request in progress
   * is closed for it (its client gets 404 on its next request and may initialize again). Only when every session
   * is busy is the newcomer refused.
   */
  async #makeRoom(): Promise<boolean> {
    if (this.#sessions.size < this.settings.maxSessions) return true;
    let lru: Session | undefined;
    for (const s of this.#sessions.values()) if (s.posts === 0 && (!lru || s.lastSeen < lru.lastSeen)) lru = s;
    if (!lru) return false;
    await this.#close(lru, `least recently used, evicted for a new session at the limit of ${this.settings.maxSessions}`);
    return true;
  }

  #sweep(): void {
    const now = Date.now();
    for (const session of [...this.#sessions.values()]) {
      if (session.posts === 0 && now - session.lastSeen >= this.settings.idleMs) void this.#close(session, `idle for ${Math.round(this.settings.idleMs / 1000)} s`);
    }
  }
}

/** Counts a request against its session (a POST in progress keeps the session from being idle or evicted). */
async function track(session: Session, res: ServerResponse, run: () => Promise<void>, posts = 0): Promise<void> {
  session.posts += posts;
  session.lastSeen = Date.now();
  res.once("close", () => {
    session.posts -= posts;
    session.lastSeen = Date.now();
  });
  return run();
}

/**
 * A client that gives up on a request by closing its connection sends no notifications/cancelled: the closed
 * connection is the cancellation (guarantee 8), so a blocked wait ends and its messages go to the next waiter.
 */
function cancelOnDisconnect(session: Session, res: ServerResponse, body: unknown): void {
  const ids = requestIdsOf(body);
  if (ids.length === 0) return;
  res.once("close", () => {
    if (!res.writableFinished) session.mcp.cancel(ids, "the HTTP connection closed");
  });
}
