import type { Attributes } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import { DELIVERY_BUCKETS, type InboxFacts, type MeteredInbox } from "./types.js";

export interface OtelMetrics {
  recordDuration(seconds: number, attributes: Attributes): void;
  meterInbox(inbox: MeteredInbox): void;
  shutdown(): Promise<void>;
}

/** The MCP semantic conventions' advice for `mcp.server.operation.duration`, in seconds. */
const OPERATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/**
 * OTLP metrics (the exporter reads OTEL_EXPORTER_OTLP_METRICS_ENDPOINT or the shared endpoint, and the other
 * OTEL_EXPORTER_OTLP_* variables): the MCP conventions' `mcp.server.operation.duration`, and per agent
 * (`band.agent`) the inbox figures `GET /metrics` serves, read at each export, not on the hot path.
 */
export async function startOtelMetrics(resource: Resource, version: string, intervalMs: number): Promise<OtelMetrics> {
  const [{ OTLPMetricExporter }, { MeterProvider, PeriodicExportingMetricReader }] = await Promise.all([
    import("@opentelemetry/exporter-metrics-otlp-http"),
    import("@opentelemetry/sdk-metrics"),
  ]);
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.min(30_000, intervalMs) });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter("band-mcp-server", version);

  const operations = meter.createHistogram("mcp.server.operation.duration", { unit: "s", description: "MCP request duration, from the request to its answer.", advice: { explicitBucketBoundaries: OPERATION_BUCKETS } });
  const delivery = meter.createHistogram("band_mcp.delivery.duration", { unit: "s", description: "From Band's inserted_at to the message being handed to a model (a redelivery counts again).", advice: { explicitBucketBoundaries: DELIVERY_BUCKETS } });

  const inboxes: MeteredInbox[] = [];
  const observed = (kind: "gauge" | "counter", name: string, description: string, read: (f: InboxFacts) => number) => {
    const options = { unit: "{message}", description };
    const instrument = kind === "gauge" ? meter.createObservableGauge(name, options) : meter.createObservableCounter(name, options);
    return [instrument, read] as const;
  };
  const instruments = [
    observed("gauge", "band_mcp.inbox.pending", "Messages queued in the inbox, not yet handed to a model.", (f) => f.pending),
    observed("gauge", "band_mcp.inbox.in_flight", "Messages handed to a model and claimed on Band, not yet marked.", (f) => f.inFlight),
    observed("gauge", "band_mcp.connection.up", "1 while the agent's Band socket is connected, else 0.", (f) => f.up),
    observed("counter", "band_mcp.messages.delivered", "Messages delivered to a model and settled.", (f) => f.delivered),
    observed("counter", "band_mcp.messages.dropped", "Local copies dropped on inbox overflow (still unprocessed on Band, delivered later).", (f) => f.dropped),
    observed("counter", "band_mcp.socket.reconnects", "Reconnects of the agent's Band socket.", (f) => f.reconnects),
  ];
  // One callback for all of them: each agent's facts are read once per export.
  meter.addBatchObservableCallback(
    (result) => {
      for (const inbox of inboxes) {
        const facts = inbox.facts();
        const attributes = { "band.agent": inbox.agent };
        for (const [instrument, read] of instruments) result.observe(instrument, read(facts), attributes);
      }
    },
    instruments.map(([instrument]) => instrument),
  );

  return {
    recordDuration: (seconds, attributes) => operations.record(seconds, attributes),
    meterInbox(inbox) {
      inboxes.push(inbox);
      const attributes = { "band.agent": inbox.agent };
      inbox.onDelivery((seconds) => delivery.record(seconds, attributes));
    },
    // Exports what was measured since the last export, then stops.
    shutdown: () => provider.shutdown(),
  };
}
