import type { Tracing } from "./types.js";

/**
 * OpenTelemetry traces, off unless the OTLP endpoint is configured. This module is all a plain start loads: the
 * SDK (telemetry/otel.ts and the @opentelemetry packages) is imported only when tracing is turned on, so a
 * server without OTEL_EXPORTER_OTLP_ENDPOINT starts exactly as before.
 */
const OFF: Tracing = {
  traceTransport: () => undefined,
  bandCall: (_method, _path, run) => run(),
  shutdown: async () => undefined,
};

let current: Tracing = OFF;

export function tracing(): Tracing {
  return current;
}

/** Loads the SDK and starts exporting (OTLP over HTTP, configured by the standard OTEL_* variables). */
export async function enableTracing(version: string): Promise<void> {
  const { startOtel } = await import("./otel.js");
  current = await startOtel(version);
}
