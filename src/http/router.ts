import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_AGENT } from "../config.js";
import type { AgentRegistry } from "../hub/registry.js";
import { HubAuth } from "./auth.js";
import { agentHealth, agentList, hubHealth } from "./health.js";
import { decodeSegment, sendJson, sendJsonRpcError, sendRestError } from "./io.js";
import { serveRest } from "./rest.js";
import type { HubMetrics } from "./metrics.js";
import { rebindingProblem } from "./security.js";
import type { McpSessions } from "./sessions.js";

const AGENT_PATH = /^\/agents\/([^/]+)(\/.*)?$/;

export interface RouterParts {
  registry: AgentRegistry;
  auth: HubAuth;
  sessions: McpSessions;
  /** Bound to loopback: refuse requests whose Host or Origin is not local (DNS rebinding). */
  guardRebinding: boolean;
  /** Aborted when the server starts shutting down: new requests are refused, pending sync sends answer. */
  stopping: AbortSignal;
  /** GET /metrics, when the server has them. */
  metrics: HubMetrics | undefined;
}

/** A path's agent label and the rest of the path after `/agents/<label>` (`/mcp` is the default agent's). */
function route(path: string): { label: string; rest: string } | undefined {
  if (path === "/mcp") return { label: DEFAULT_AGENT, rest: "/mcp" };
  const match = AGENT_PATH.exec(path);
  if (!match) return undefined;
  return { label: decodeSegment(match[1]!), rest: match[2] ?? "" };
}

/**
 * Routes a request: health without credentials; then DNS-rebinding protection, the OAuth discovery 404s, bearer
 * auth and the agent grant; then the agent's MCP endpoint or REST surface. MCP endpoints answer errors in
 * JSON-RPC shape, everything else as `{error: {code, message}}`.
 */
export function createRouter({ registry, auth, sessions, guardRebinding, stopping, metrics }: RouterParts): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const unknownAgent = (label: string) => `No agent "${label}" here. Agents: ${registry.labels.join(", ")} (at /agents/<label>/…).`;

  return async (req, res) => {
    if (stopping.aborted) return answerStopping(req, res);
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
    if (path === "/metrics" && read && metrics) {
      // The same credentials as /mcp; a token or JWT for some agents sees only their series.
      const text = await metrics.render((label) => HubAuth.allows(grant, label));
      res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
      return void res.end(text);
    }
    if (path === "/agents" && read) {
      const visible = registry.entries().filter(([label]) => HubAuth.allows(grant, label));
      return sendJson(res, 200, await agentList(visible, (label) => sessions.count(label)));
    }
    if (!target || !app) return fail(404, "not_found", `Not found: ${path}. Paths: /mcp, /agents, /agents/<label>/mcp, /agents/<label>/messages, /agents/<label>/messages/sync, /agents/<label>/chats/<chat_id>/transcript, /health, /agents/<label>/health, /metrics.`);
    if (!HubAuth.allows(grant, target.label)) {
      return fail(403, "forbidden", `Forbidden: these credentials are not for agent "${target.label}". Send its BAND_MCP_HTTP_TOKEN_<LABEL>, the global BAND_MCP_HTTP_TOKEN, or a JWT whose "agents" claim lists "${target.label}".`);
    }
    if (mcp) return sessions.handle(target.label, app, req, res);
    return serveRest(app, target.rest, req, res, stopping);
  };
}

const SEND_PATH = /\/messages(\/sync)?$/;

/**
 * The answer to a request the server will not finish because it is shutting down: 503 in the endpoint's error
 * shape, asking the client to retry (against this hub's successor or standby). A send that was under way may
 * have reached Band (`maybe_sent: true`); a stream already answering is ended.
 */
export function answerStopping(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return void res.end();
  res.setHeader("connection", "close");
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const message = "The server is shutting down; retry shortly.";
  if (route(path)?.rest === "/mcp") return sendJsonRpcError(res, 503, -32000, message);
  const sending = req.method === "POST" && SEND_PATH.test(path);
  sendJson(res, 503, { error: { code: "shutting_down", message: sending ? `${message} The message may have been sent: check the chat's transcript before retrying.` : message, ...(sending ? { maybe_sent: true } : {}) } });
}

function withStatus<T extends { ok: boolean }>(health: T): [number, T] {
  return [health.ok ? 200 : 503, health];
}
