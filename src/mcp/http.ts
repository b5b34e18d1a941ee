import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest, isJSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.js";
import { SessionInbox } from "../inbox/session.js";
import { assertSafeExposure, hasBearerToken, isLoopbackHost, rebindingProblem } from "./http-security.js";
import { createMcpServer } from "./server.js";

export interface HttpOptions {
  host: string;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  /** A session without requests for this long is closed (default 30 min). */
  idleTimeoutMs?: number;
  maxSessions?: number;
}

export interface HttpHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:8787/mcp. */
  url: string;
  sessionCount(): number;
  /** Closes every session (without handing their messages on: the process is going away) and the listener. */
  close(): Promise<void>;
}

interface Session {
  id: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  inbox: SessionInbox | undefined;
  lastSeen: number;
  /**
   * POSTs in progress (a long wait, say): each owes its client an answer, so a session with one is not idle.
   * The standalone GET stream does not count: a client that vanished without closing may leave it open forever.
   */
  posts: number;
  closing: boolean;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_SESSIONS = 100;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** At shutdown, how long released waits get to send their (empty) results before the connections close. */
const DRAIN_MS = 500;

/**
 * Streamable HTTP at `/mcp` (one MCP server object and transport per session, all over the app's one Band
 * connection and one inbox, so sessions compete for messages) plus `GET /health`. Bearer-token auth when
 * BAND_MCP_HTTP_TOKEN is set, DNS-rebinding protection when bound to loopback.
 */
export async function startHttpServer(app: App, options: HttpOptions): Promise<HttpHandle> {
  const token = app.config.http.token;
  assertSafeExposure(options.host, token);
  const guardRebinding = isLoopbackHost(options.host);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = new Map<string, Session>();
  const log = app.log;

  const closeSession = async (session: Session, reason: string, requeue = true) => {
    if (session.closing) return;
    session.closing = true;
    sessions.delete(session.id);
    log.info(`MCP session ${session.id} closed (${reason})`, { sessions: sessions.size });
    // Waits end first, so their messages can go to other sessions; then the transport and server go.
    await session.inbox?.close({ requeue }).catch((error: unknown) => log.warn("could not hand a closed session's messages on", { error: String(error) }));
    await session.server.close().catch(() => undefined);
  };

  /** A new session for an initialize request: it is kept once the transport has assigned its id. */
  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const inbox = app.live ? new SessionInbox(app.live, app.agent, log) : undefined;
    const server = createMcpServer(app, inbox ? { live: inbox } : {});
    let session: Session | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        session = { id, server, transport, inbox, lastSeen: Date.now(), posts: 0, closing: false };
        sessions.set(id, session);
        log.info(`MCP session ${id} opened`, { sessions: sessions.size });
      },
    });
    transport.onclose = () => {
      if (session) void closeSession(session, "closed by the client");
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (!session) {
      // The initialize request was refused: nothing to keep.
      await inbox?.close({ requeue: false });
      await server.close().catch(() => undefined);
    }
  };

  /**
   * At the session limit a newcomer still gets in: the least recently used session with no request in progress
   * is closed for it (its client gets 404 on its next request and may initialize again). Only when every session
   * is busy is the newcomer refused.
   */
  const makeRoom = async (): Promise<boolean> => {
    if (sessions.size < maxSessions) return true;
    let lru: Session | undefined;
    for (const s of sessions.values()) if (s.posts === 0 && (!lru || s.lastSeen < lru.lastSeen)) lru = s;
    if (!lru) return false;
    await closeSession(lru, `least recently used, evicted for a new session at the limit of ${maxSessions}`);
    return true;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = header(req, "mcp-session-id");
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (sessionId !== undefined && !session) return sendJsonRpcError(res, 404, -32001, "Session not found (it expired or was closed): initialize a new session.");
    if (session && req.method !== "POST") return trackRequest(session, res, () => session.transport.handleRequest(req, res));
    if (req.method !== "POST") return sendJsonRpcError(res, 400, -32000, "Bad request: no mcp-session-id header; start with an initialize request (POST).");
    const body = await readJson(req);
    if (!body.ok) {
      // The rest of an oversized body is never read: close the connection rather than drain it.
      if (body.status === 413) res.setHeader("connection", "close");
      return sendJsonRpcError(res, body.status, body.status === 413 ? -32000 : -32700, body.message);
    }
    if (Array.isArray(body.value) && body.value.length === 0) return sendJsonRpcError(res, 400, -32600, "Invalid Request: an empty JSON-RPC batch; send at least one message.");
    if (session) {
      cancelOnDisconnect(session, res, body.value);
      return trackRequest(session, res, () => session.transport.handleRequest(req, res, body.value), 1);
    }
    if (!isInitializeRequest(body.value)) return sendJsonRpcError(res, 400, -32000, "Bad request: no mcp-session-id header; start with an initialize request.");
    if (!(await makeRoom())) return sendJsonRpcError(res, 503, -32000, `Too many open sessions (${maxSessions}), all busy with requests; retry shortly, or close sessions you no longer use (DELETE /mcp).`);
    return openSession(req, res, body.value);
  };

  const health = async (res: ServerResponse) => {
    const status = app.live?.status();
    const connection = status?.connection ?? "disabled";
    const agentConnected = connection === "connected";
    // Tools-only mode (BAND_LIVE=false) has no socket to be down.
    const ok = agentConnected || connection === "disabled";
    sendJson(res, ok ? 200 : 503, {
      ok,
      agentConnected,
      connection,
      sessions: sessions.size,
      inbox: { pending: status?.inbox.pending ?? 0, in_flight: status?.inbox.in_flight ?? 0 },
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/health" && (req.method === "GET" || req.method === "HEAD")) return health(res);
    if (guardRebinding) {
      const problem = rebindingProblem(req);
      if (problem) return sendJsonRpcError(res, 403, -32000, `Forbidden: ${problem}. This server only answers local clients.`);
    }
    // A 401 here would make hosts (Claude Code) start an OAuth flow that cannot succeed; 404 says "use the header".
    if (isOAuthDiscovery(path)) return sendJsonRpcError(res, 404, -32000, "Not found: this server does not do OAuth; send \"Authorization: Bearer <token>\" (BAND_MCP_HTTP_TOKEN) instead.");
    if (token && !hasBearerToken(req, token)) {
      res.setHeader("www-authenticate", 'Bearer realm="band-mcp-server"');
      return sendJsonRpcError(res, 401, -32001, "Unauthorized: send the value of BAND_MCP_HTTP_TOKEN as the header \"Authorization: Bearer <token>\".");
    }
    if (path !== "/mcp") return sendJsonRpcError(res, 404, -32000, `Not found: the MCP endpoint is /mcp (and GET /health).`);
    return handleMcp(req, res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error("HTTP request failed", { error: String(error) });
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "Internal error; see the server log.");
      else res.end();
    });
  });
  await listen(http, options.host, options.port);

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const session of [...sessions.values()]) {
      if (session.posts === 0 && now - session.lastSeen >= idleMs) void closeSession(session, `idle for ${Math.round(idleMs / 1000)} s`);
    }
  }, Math.max(10, Math.min(idleMs / 2, 60_000)));
  sweeper.unref();

  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}/mcp`,
    sessionCount: () => sessions.size,
    async close() {
      clearInterval(sweeper);
      // Release every wait first and let those calls answer (empty), so no client is left hanging on a cut stream.
      const open = [...sessions.values()];
      await Promise.all(open.map((s) => s.inbox?.close({ requeue: false })));
      const deadline = Date.now() + DRAIN_MS;
      while (open.some((s) => s.posts > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await Promise.all(open.map((s) => closeSession(s, "server shutting down", false)));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Counts a request against its session (a POST in progress keeps the session from being idle or evicted). */
async function trackRequest(session: Session, res: ServerResponse, run: () => Promise<void>, posts = 0): Promise<void> {
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
  const ids = (Array.isArray(body) ? body : [body]).filter(isJSONRPCRequest).map((m) => m.id);
  if (ids.length === 0) return;
  res.once("close", () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      session.transport.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "the HTTP connection closed" } });
    }
  });
}

function isOAuthDiscovery(path: string): boolean {
  return path.startsWith("/.well-known/") || path === "/register";
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type JsonBody = { ok: true; value: unknown } | { ok: false; status: number; message: string };

/**
 * A POST's body, read here rather than by the SDK: routing depends on it being `initialize`, and a request's ids
 * are needed to cancel it when its connection closes. A declared length over the cap is refused before reading.
 */
async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const declared = Number(req.headers["content-length"]);
  if (declared > MAX_BODY_BYTES) return { ok: false, status: 413, message: `Request body over ${MAX_BODY_BYTES} bytes.` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: `Request body over ${MAX_BODY_BYTES} bytes.` };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, status: 400, message: "Parse error: the body is not JSON." };
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** Errors in JSON-RPC shape, which the SDK's client transport reports as they are. */
function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null });
}
