import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "../app.js";
import { AgentRegistry } from "../hub/registry.js";
import { HubAuth } from "./auth.js";
import { listen, sendJsonRpcError } from "./io.js";
import { createRouter } from "./router.js";
import { assertSafeExposure, isLoopbackHost } from "./security.js";
import { McpSessions } from "./sessions.js";

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

/**
 * The HTTP front door: per agent, Streamable HTTP MCP at `/agents/<label>/mcp` (`/mcp` is `default`'s), a REST
 * surface for backends, and health; `GET /agents` lists them. Bearer auth (global, per-agent or JWT) on every
 * path but health; DNS-rebinding protection when bound to loopback. Takes one app (its agent is `default`) or a
 * registry of several.
 */
export async function startHttpServer(target: App | AgentRegistry, options: HttpOptions): Promise<HttpHandle> {
  const registry = target instanceof AgentRegistry ? target : AgentRegistry.of(target);
  const [, first] = registry.entries()[0]!;
  const auth = new HubAuth(first.config.http);
  assertSafeExposure(options.host, auth.required);
  const log = first.log;
  const sessions = new McpSessions(log, { idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_MS, maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS });
  const handle = createRouter({ registry, auth, sessions, guardRebinding: isLoopbackHost(options.host) });

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
