import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "../app.js";
import { AgentRegistry } from "../hub/registry.js";
import { HubAuth } from "./auth.js";
import { listen, sendJsonRpcError } from "./io.js";
import { InFlight } from "./inflight.js";
import type { HubMetrics } from "./metrics.js";
import { answerStopping, createRouter } from "./router.js";
import { assertSafeExposure, isLoopbackHost } from "./security.js";
import { McpSessions } from "./sessions.js";

export interface HttpOptions {
  host: string;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  /** A session without requests for this long is closed (default 30 min). */
  idleTimeoutMs?: number;
  maxSessions?: number;
  /** Served at GET /metrics; their observers see every tool call (src/http/metrics.ts, loaded lazily). */
  metrics?: HubMetrics;
}

export interface HttpHandle {
  /** The default agent's MCP endpoint, e.g. http://127.0.0.1:8787/mcp. */
  url: string;
  /** The server's origin, e.g. http://127.0.0.1:8787. */
  base: string;
  sessionCount(): number;
  /**
   * Shuts down gracefully: stops accepting, ends blocked waits (empty results) and pending sync sends (503 with
   * `maybe_sent`), gives requests in flight up to SETTLE_MS to answer, answers the rest 503, then closes every
   * session and connection. Claimed messages nobody settled stay unprocessed on Band for the next process.
   */
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_SESSIONS = 100;
/** At shutdown, how long requests in flight get to answer; the process must be gone within 2 s. */
const SETTLE_MS = 800;

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
  const { metrics } = options;
  const sessions = new McpSessions(log, {
    idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_MS,
    maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
    ...(metrics ? { toolCalls: metrics.toolCalls } : {}),
  });
  const stopping = new AbortController();
  const inFlight = new InFlight();
  const handle = createRouter({ registry, auth, sessions, guardRebinding: isLoopbackHost(options.host), stopping: stopping.signal, metrics });

  const http = createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      log.error("HTTP request failed", { error: String(error) });
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "Internal error; see the server log.");
      else res.end();
    });
    inFlight.track(req, res, done, () => answerStopping(req, res));
  });
  await listen(http, options.host, options.port);

  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const base = `http://${hostForUrl}:${address.port}`;
  return {
    url: `${base}/mcp`,
    base,
    sessionCount: () => sessions.count(),
    close: once(async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await sessions.release();
      await inFlight.settle(SETTLE_MS);
      inFlight.stopAll();
      await sessions.close();
      http.closeAllConnections();
      await closed;
    }),
  };
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}
