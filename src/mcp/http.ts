import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "../app.js";
import { DEFAULT_AGENT } from "../config.js";
import { HubAuth } from "../hub/auth.js";
import { agentHealth, agentList, hubHealth } from "../hub/health.js";
import { AgentRegistry } from "../hub/registry.js";
import { chatTranscript, sendMessage, sendSync, type RestReply } from "../hub/rest.js";
import { listen, readJson, sendJson, sendJsonRpcError, sendRestError } from "./http-io.js";
import { assertSafeExposure, isLoopbackHost, rebindingProblem } from "./http-security.js";
import { McpSessions } from "./http-sessions.js";

export interface HttpOptions {
  host: string;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  /** A session without requests for this long is closed (default 30 min). */
  idleTimeoutMs?: number;
  maxSessions?: number;
}

export interface HttpHandle {
  /** The default agent's MCP endpoint, e.g. http://127.0.0.1:8787/mcp. */
  url: string;
  /** The server's origin, e.g. http://127.0.0.1:8787. */
  base: string;
  sessionCount(): number;
  /** Closes every session (without handing their messages on: the process is going away) and the listener. */
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_SESSIONS = 100;
/** REST bodies carry one message (16,384 characters at most) and a few fields. */
const MAX_REST_BODY_BYTES = 256 * 1024;
const AGENT_PATH = /^\/agents\/([^/]+)(\/.*)?$/;
const TRANSCRIPT_PATH = /^\/chats\/([^/]+)\/transcript$/;

/**
 * The HTTP server: per agent, Streamable HTTP MCP at `/agents/<label>/mcp` (`/mcp` is `default`'s), a REST
 * surface for backends, and health; `GET /agents` lists them. Bearer auth (global, per-agent or JWT) on every
 * path but health; DNS-rebinding protection when bound to loopback. Takes one app (its agent is `default`) or a
 * registry of several.
 */
export async function startHttpServer(target: App | AgentRegistry, options: HttpOptions): Promise<HttpHandle> {
  const registry = target instanceof AgentRegistry ? target : AgentRegistry.of(target);
  const [, first] = registry.entries()[0]!;
  const auth = new HubAuth(first.config.http);
  assertSafeExposure(options.host, auth.required);
  const guardRebinding = isLoopbackHost(options.host);
  const log = first.log;
  const sessions = new McpSessions(log, { idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_MS, maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS });

  const unknownAgent = (label: string) => `No agent "${label}" here. Agents: ${registry.labels.join(", ")} (at /agents/<label>/…).`;

  /** A path's agent label, the rest of the path, and whether the error shape is JSON-RPC (MCP endpoints). */
  const route = (path: string): { label: string; rest: string } | undefined => {
    if (path === "/mcp") return { label: DEFAULT_AGENT, rest: "/mcp" };
    const match = AGENT_PATH.exec(path);
    if (!match) return undefined;
    return { label: decodeSegment(match[1]!), rest: match[2] ?? "" };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const target = route(path);
    const mcp = target?.rest === "/mcp";
    const fail = (status: number, code: string, message: string) =>
      mcp ? sendJsonRpcError(res, status, status === 401 || status === 404 ? -32001 : -32000, message) : sendRestError(res, status, code, message);
    const read = req.method === "GET" || req.method === "HEAD";

    if (path === "/health" && read) return sendJson(res, ...withStatus(hubHealth(registry, sessions.count())));
    const app = target ? registry.get(target.label) : undefined;
    if (target && !app) return fail(404, "unknown_agent", unknownAgent(target.label));
    if (target && app && target.rest === "/health" && read) return sendJson(res, ...withStatus(agentHealth(app, sessions.count(target.label))));

    if (guardRebinding) {
      const problem = rebindingProblem(req);
      if (problem) return fail(403, "forbidden", `Forbidden: ${problem}. This server only answers local clients.`);
    }
    // A 401 here would make hosts (Claude Code) start an OAuth flow that cannot succeed; 404 says "use the header".
    if (path.startsWith("/.well-known/") || path === "/register") {
      return fail(404, "not_found", "Not found: this server does not do OAuth; send \"Authorization: Bearer <token>\" (BAND_MCP_HTTP_TOKEN) instead.");
    }
    const grant = await auth.grant(req);
    if (!grant.ok) {
      res.setHeader("www-authenticate", 'Bearer realm="band-mcp-server"');
      return fail(401, "unauthorized", grant.message);
    }
    if (path === "/agents" && read) {
      const visible = registry.entries().filter(([label]) => HubAuth.allows(grant, label));
      return sendJson(res, 200, await agentList(visible, (label) => sessions.count(label)));
    }
    if (!target || !app) return fail(404, "not_found", `Not found: ${path}. Paths: /mcp, /agents, /agents/<label>/mcp, /agents/<label>/messages, /agents/<label>/messages/sync, /agents/<label>/chats/<chat_id>/transcript, /health, /agents/<label>/health.`);
    if (!HubAuth.allows(grant, target.label)) {
      return fail(403, "forbidden", `Forbidden: these credentials are not for agent "${target.label}". Send its BAND_MCP_HTTP_TOKEN_<LABEL>, the global BAND_MCP_HTTP_TOKEN, or a JWT whose "agents" claim lists "${target.label}".`);
    }
    if (mcp) return sessions.handle(target.label, app, req, res);
    return serveRest(app, target.rest, req, res);
  };

  const serveRest = async (app: App, rest: string, req: IncomingMessage, res: ServerResponse) => {
    const gone = new AbortController();
    const written = new Promise<boolean>((resolve) => {
      res.once("finish", () => resolve(true));
      res.once("close", () => {
        // The client went away before its answer: whatever it was waiting for is cancelled.
        if (!res.writableFinished) gone.abort();
        resolve(res.writableFinished);
      });
    });
    const reply = (answer: RestReply) => sendJson(res, answer.status, answer.body);
    const transcript = TRANSCRIPT_PATH.exec(rest);
    if (transcript && req.method === "GET") return reply(await chatTranscript(app, decodeSegment(transcript[1]!)));
    if (req.method === "POST" && (rest === "/messages" || rest === "/messages/sync")) {
      const body = await readJson(req, MAX_REST_BODY_BYTES);
      if (!body.ok) {
        if (body.tooLarge) res.setHeader("connection", "close");
        return sendRestError(res, 400, body.tooLarge ? "too_large" : "bad_json", `${body.message} Send one JSON object: {"chat_id", "content", "mentions"}.`);
      }
      return reply(rest === "/messages" ? await sendMessage(app, body.value) : await sendSync(app, body.value, gone.signal, written));
    }
    return sendRestError(res, 404, "not_found", `Not found: ${req.method} ${rest || "/"} for an agent. Use POST …/messages, POST …/messages/sync, GET …/chats/<chat_id>/transcript, or …/mcp.`);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error("HTTP request failed", { error: String(error) });
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "Internal error; see the server log.");
      else res.end();
    });
  });
  await listen(http, options.host, options.port);

  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const base = `http://${hostForUrl}:${address.port}`;
  return {
    url: `${base}/mcp`,
    base,
    sessionCount: () => sessions.count(),
    async close() {
      await sessions.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function withStatus<T extends { ok: boolean }>(health: T): [number, T] {
  return [health.ok ? 200 : 503, health];
}

/** A path segment decoded; a malformed escape stays as written (and then fails the label or id check). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
