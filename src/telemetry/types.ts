import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** What the server asks of tracing (telemetry/tracing.ts); telemetry/otel.ts implements it when it is on. */
export interface Tracing {
  /** Spans every MCP request the transport receives (the server has connected it). */
  traceTransport(transport: Transport): void;
  /** A Band REST call, as a child span of the MCP request it serves (none outside a request). */
  bandCall<T>(method: string, pathTemplate: string, run: () => Promise<T>): Promise<T>;
  /** Sends what is buffered; called on shutdown. */
  shutdown(): Promise<void>;
}
