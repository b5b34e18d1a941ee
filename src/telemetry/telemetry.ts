import type { Telemetry, TelemetryOptions } from "./types.js";

/**
 * OpenTelemetry traces and metrics, off unless an OTLP endpoint is configured. This module is all a plain start
 * loads: the SDK (telemetry/otel.ts and the @opentelemetry packages) is imported only when one of them is turned
 * on, so a server without OTEL_EXPORTER_OTLP_ENDPOINT starts exactly as before.
 */
const OFF: Telemetry = {
  traceTransport: () => undefined,
  bandCall: (_method, _path, run) => run(),
  meterInbox: () => undefined,
  shutdown: async () => undefined,
};

let current: Telemetry = OFF;

export function telemetry(): Telemetry {
  return current;
}

/** Loads the SDK and starts exporting (OTLP over HTTP, configured by the standard OTEL_* variables). */
export async function enableTelemetry(version: string, options: TelemetryOptions): Promise<void> {
  if (!options.traces && !options.metrics) return;
  const { startOtel } = await import("./otel.js");
  current = await startOtel(version, options);
}
