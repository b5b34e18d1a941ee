import type { Attributes, Context } from "@opentelemetry/api";
import type { Telemetry, TelemetryOptions } from "./types.js";
import { startOtelMetrics } from "./otel-metrics.js";
import { observeRequests } from "./otel-requests.js";

/**
 * The OpenTelemetry SDK behind telemetry/telemetry.ts, loaded only when traces or metrics are on. Traces follow
 * the MCP semantic conventions: one SERVER span per request, named "{mcp.method.name} {target}", its parent taken
 * from the request's params._meta (traceparent), and Band REST calls as CLIENT child spans. Metrics: see
 * telemetry/otel-metrics.ts. The exporters read the standard OTEL_EXPORTER_OTLP_* variables;
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the service.
 */
export async function startOtel(version: string, options: TelemetryOptions): Promise<Telemetry> {
  // Imported here, not at the top: the bundle would hoist top-level imports and load the SDK on every start.
  const [api, { detectResources, envDetector, resourceFromAttributes }] = await Promise.all([import("@opentelemetry/api"), import("@opentelemetry/resources")]);
  const resource = resourceFromAttributes({ "service.name": "band-mcp-server", "service.version": version }).merge(detectResources({ detectors: [envDetector] }));
  const traces = options.traces ? await startTraces(api, resource, version) : undefined;
  const metrics = options.metrics ? await startOtelMetrics(resource, version, options.metrics.intervalMs) : undefined;

  return {
    traceTransport(transport, agent) {
      observeRequests(api, transport, { ...(traces ? { startSpan: traces.startSpan } : {}), ...(metrics ? { recordDuration: metrics.recordDuration } : {}), ...(agent ? { agent } : {}) });
    },
    bandCall: traces ? traces.bandCall : (_method, _path, run) => run(),
    meterInbox: (inbox) => metrics?.meterInbox(inbox),
    async shutdown() {
      await Promise.all([traces?.shutdown(), metrics?.shutdown()]);
    },
  };
}

type Api = typeof import("@opentelemetry/api");
type Resource = import("@opentelemetry/resources").Resource;

async function startTraces(api: Api, resource: Resource, version: string) {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { BatchSpanProcessor, TracerProvider }] = await Promise.all([
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/sdk-trace"),
  ]);
  const { context, propagation, trace, SpanKind, SpanStatusCode } = api;
  const provider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer("band-mcp-server", version);

  return {
    startSpan: (name: string, attributes: Attributes, parent: Context) =>
      tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent),
    async bandCall<T>(method: string, pathTemplate: string, run: () => Promise<T>): Promise<T> {
      if (!trace.getSpan(context.active())) return run();
      return tracer.startActiveSpan(`${method} ${pathTemplate}`, { kind: SpanKind.CLIENT, attributes: { "http.request.method": method, "url.template": pathTemplate } }, async (span) => {
        try {
          return await run();
        } catch (error) {
          // BandApiError's status (0: no answer), read by shape: importing band/http here would make a cycle.
          const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 0;
          if (status) span.setAttribute("http.response.status_code", status);
          span.setAttribute("error.type", status ? String(status) : error instanceof Error ? error.name : "unknown");
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    shutdown: () => provider.shutdown(),
  };
}
