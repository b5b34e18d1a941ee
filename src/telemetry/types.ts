import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/**
 * What the server asks of OpenTelemetry (telemetry/telemetry.ts); telemetry/otel.ts implements it when traces or
 * metrics are on.
 */
export interface Telemetry {
  /** Spans and times every MCP request the transport receives (the server has connected it). */
  traceTransport(transport: Transport, agent?: string): void;
  /** A Band REST call, as a child span of the MCP request it serves (none outside a request). */
  bandCall<T>(method: string, pathTemplate: string, run: () => Promise<T>): Promise<T>;
  /** Reports an agent's inbox in the metrics, from now until shutdown. */
  meterInbox(inbox: MeteredInbox): void;
  /** Sends what is buffered; called on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * The delivery histogram's buckets, in seconds from Band's `inserted_at` to the hand-out: 5 ms to half an hour (a
 * message waits for a model to ask). `GET /metrics` and the OTLP export use the same.
 */
export const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/** An agent's inbox in numbers: what `GET /metrics` serves and the OTLP metrics export. */
export interface InboxFacts {
  pending: number;
  inFlight: number;
  delivered: number;
  dropped: number;
  reconnects: number;
  /** 1 while the agent's socket is connected, else 0. */
  up: number;
}

/** One agent's inbox as the metrics read it. */
export interface MeteredInbox {
  /** The agent's label (`default` for a single key). */
  agent: string;
  /** Read at each export. */
  facts(): InboxFacts;
  /** Told of every hand-out: seconds since Band's `inserted_at`. */
  onDelivery(listener: (seconds: number) => void): void;
}

/** What is turned on (config: OTEL_* settings). */
export interface TelemetryOptions {
  traces: boolean;
  /** Metrics, exported every `intervalMs`; absent: off. */
  metrics?: { intervalMs: number };
}
