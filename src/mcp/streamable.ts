import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest, isJSONRPCRequest, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.js";
import type { LiveInbox } from "../inbox/live.js";
import type { ToolCallObserver } from "./register.js";
import { createMcpServer } from "./server.js";

/**
 * The MCP side of one Streamable HTTP session: an MCP server object and its transport. The HTTP front door
 * (src/http) keeps the table of sessions, their limits and their inboxes; this is all it needs of the SDK.
 */
export interface StreamableSession {
  /** Serves one HTTP request of this session; `body` is the parsed JSON of a POST. */
  handle(req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void>;
  /** Cancels requests as `notifications/cancelled` from the client would (its connection closed instead). */
  cancel(requestIds: readonly RequestId[], reason: string): void;
  close(): Promise<void>;
}

export interface StreamableHooks {
  /** Told of every tool call of the session (metrics). */
  onToolCall?: ToolCallObserver;
  /** The transport assigned the session its id: from now on the session exists. */
  onInitialized(id: string): void;
  /** The client closed the session (DELETE). */
  onClosed(): void;
}

/** Whether a POST body opens a session. */
export const isInitializeBody = (body: unknown): boolean => isInitializeRequest(body);

/** The ids of the JSON-RPC requests (not notifications or responses) in a POST body, batch or single. */
export function requestIdsOf(body: unknown): RequestId[] {
  return (Array.isArray(body) ? body : [body]).filter(isJSONRPCRequest).map((m) => m.id);
}

/** A new session over `app` (with the session's own view of the inbox, when the agent has one). */
export async function openStreamableSession(app: App, live: LiveInbox | undefined, hooks: StreamableHooks): Promise<StreamableSession> {
  const server = createMcpServer(app, { ...(live ? { live } : {}), ...(hooks.onToolCall ? { onToolCall: hooks.onToolCall } : {}) });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: hooks.onInitialized });
  transport.onclose = hooks.onClosed;
  await server.connect(transport);
  return {
    handle: (req, res, body) => transport.handleRequest(req, res, body),
    cancel(requestIds, reason) {
      for (const requestId of requestIds) transport.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason } });
    },
    close: () => server.close().catch(() => undefined),
  };
}
