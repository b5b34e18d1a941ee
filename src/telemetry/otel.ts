import type { Attributes, Context, Span } from "@opentelemetry/api";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Tracing } from "./types.js";

/**
 * The OpenTelemetry SDK behind telemetry/tracing.ts, loaded only when tracing is on. Spans follow the MCP
 * semantic conventions: one SERVER span per request, named "{mcp.method.name} {target}", its parent taken from
 * the request's params._meta (traceparent), and Band REST calls as CLIENT child spans. The exporter reads the
 * standard OTEL_EXPORTER_OTLP_* variables; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the service.
 */
export async function startOtel(version: string): Promise<Tracing> {
  // Imported here, not at the top: the bundle would hoist top-level imports and load the SDK on every start.
  const [api, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { detectResources, envDetector, resourceFromAttributes }, { BatchSpanProcessor, TracerProvider }] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/sdk-trace"),
    ]);
  const { context, propagation, trace, SpanKind, SpanStatusCode } = api;
  const resource = resourceFromAttributes({ "service.name": "band-mcp-server", "service.version": version }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer("band-mcp-server", version);

  return {
    traceTransport(transport) {
      traceRequests(api, transport, (name, attributes, parent) => tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent));
    },
    async bandCall(method, pathTemplate, run) {
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

type Api = typeof import("@opentelemetry/api");
type StartSpan = (name: string, attributes: Attributes, parent: Context) => Span;
type Request = { id: string | number; method: string; params?: { name?: unknown; uri?: unknown; _meta?: Record<string, unknown> } };

const metaGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => (typeof carrier[key] === "string" ? (carrier[key] as string) : undefined),
};

/** Wraps the connected transport: a span opens when a request arrives and closes when its answer is sent. */
function traceRequests({ context, propagation, trace, ROOT_CONTEXT, SpanStatusCode }: Api, transport: Transport, startSpan: StartSpan): void {
  const open = new Map<string | number, Span>();
  const http = typeof (transport as { handleRequest?: unknown }).handleRequest === "function";
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (!isRequest(message)) return receive?.(message, extra);
    const parent = propagation.extract(ROOT_CONTEXT, message.params?._meta ?? {}, metaGetter);
    const span = startSpan(spanName(message), requestAttributes(message, http, transport.sessionId), parent);
    open.set(message.id, span);
    context.with(trace.setSpan(parent, span), () => receive?.(message, extra));
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const span = "id" in message && message.id !== undefined && ("result" in message || "error" in message) ? open.get(message.id) : undefined;
    if (span) {
      open.delete((message as { id: string | number }).id);
      endSpan(span, message, SpanStatusCode.ERROR);
    }
    return send(message, options);
  };
  const closed = transport.onclose;
  transport.onclose = () => {
    for (const span of open.values()) span.end();
    open.clear();
    closed?.();
  };
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & Request {
  return "method" in message && "id" in message && message.id !== undefined;
}

/** The target is the tool or prompt: low-cardinality names only (never a resource URI). */
function spanName(request: Request): string {
  const target = request.method === "tools/call" || request.method === "prompts/get" ? request.params?.name : undefined;
  return typeof target === "string" ? `${request.method} ${target}` : request.method;
}

function requestAttributes(request: Request, http: boolean, sessionId: string | undefined): Attributes {
  const name = typeof request.params?.name === "string" ? request.params.name : undefined;
  return {
    "mcp.method.name": request.method,
    "jsonrpc.request.id": String(request.id),
    "network.transport": http ? "tcp" : "pipe",
    ...(sessionId ? { "mcp.session.id": sessionId } : {}),
    ...(request.method === "tools/call" && name ? { "gen_ai.tool.name": name, "gen_ai.operation.name": "execute_tool" } : {}),
    ...(request.method === "prompts/get" && name ? { "gen_ai.prompt.name": name } : {}),
    ...(request.method === "resources/read" && typeof request.params?.uri === "string" ? { "mcp.resource.uri": request.params.uri } : {}),
  };
}

function endSpan(span: Span, answer: JSONRPCMessage, error: Api["SpanStatusCode"]["ERROR"]): void {
  if ("error" in answer) {
    span.setAttribute("error.type", String(answer.error.code));
    span.setAttribute("rpc.response.status_code", String(answer.error.code));
    span.setStatus({ code: error, message: answer.error.message });
  } else if ("result" in answer && (answer.result as { isError?: unknown }).isError === true) {
    span.setAttribute("error.type", "tool_error");
    span.setStatus({ code: error });
  }
  span.end();
}
