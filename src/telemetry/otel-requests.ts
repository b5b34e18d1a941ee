import type { Attributes, Context, Span } from "@opentelemetry/api";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

type Api = typeof import("@opentelemetry/api");
type Request = { id: string | number; method: string; params?: { name?: unknown; uri?: unknown; _meta?: Record<string, unknown> } };

/** What is done with each request: a span (traces on), a duration (metrics on), or both. */
export interface RequestObservers {
  startSpan?: (name: string, attributes: Attributes, parent: Context) => Span;
  /** `mcp.server.operation.duration`: low-cardinality attributes only (no ids, no URIs). */
  recordDuration?: (seconds: number, attributes: Attributes) => void;
  /** The agent's label, on every duration. */
  agent?: string;
}

interface Open {
  span: Span | undefined;
  started: number;
  request: Request;
}

const metaGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => (typeof carrier[key] === "string" ? (carrier[key] as string) : undefined),
};

/**
 * Wraps the connected transport: a request is opened when it arrives (its span's parent taken from
 * params._meta's traceparent) and closed when its answer is sent; the transport closing closes what is open.
 */
export function observeRequests(api: Api, transport: Transport, observers: RequestObservers): void {
  const { context, propagation, trace, ROOT_CONTEXT } = api;
  const open = new Map<string | number, Open>();
  const http = typeof (transport as { handleRequest?: unknown }).handleRequest === "function";
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (!isRequest(message)) return receive?.(message, extra);
    const started = performance.now();
    if (!observers.startSpan) {
      open.set(message.id, { span: undefined, started, request: message });
      return receive?.(message, extra);
    }
    const parent = propagation.extract(ROOT_CONTEXT, message.params?._meta ?? {}, metaGetter);
    const span = observers.startSpan(spanName(message), spanAttributes(message, http, transport.sessionId), parent);
    open.set(message.id, { span, started, request: message });
    context.with(trace.setSpan(parent, span), () => receive?.(message, extra));
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const id = "id" in message && ("result" in message || "error" in message) ? message.id : undefined;
    const entry = id === undefined ? undefined : open.get(id);
    if (entry) {
      open.delete(id!);
      const errorType = errorTypeOf(message);
      if (entry.span) endSpan(api, entry.span, message, errorType);
      observers.recordDuration?.((performance.now() - entry.started) / 1000, durationAttributes(entry.request, http, errorType, observers.agent));
    }
    return send(message, options);
  };
  const closed = transport.onclose;
  transport.onclose = () => {
    for (const entry of open.values()) entry.span?.end();
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

/** What names the request's work: the tool (an execute_tool operation) or the prompt. */
function targetAttributes(request: Request): Attributes {
  const name = typeof request.params?.name === "string" ? request.params.name : undefined;
  if (request.method === "tools/call" && name) return { "gen_ai.tool.name": name, "gen_ai.operation.name": "execute_tool" };
  if (request.method === "prompts/get" && name) return { "gen_ai.prompt.name": name };
  return {};
}

function spanAttributes(request: Request, http: boolean, sessionId: string | undefined): Attributes {
  return {
    "mcp.method.name": request.method,
    "jsonrpc.request.id": String(request.id),
    "network.transport": http ? "tcp" : "pipe",
    ...(sessionId ? { "mcp.session.id": sessionId } : {}),
    ...targetAttributes(request),
    ...(request.method === "resources/read" && typeof request.params?.uri === "string" ? { "mcp.resource.uri": request.params.uri } : {}),
  };
}

function durationAttributes(request: Request, http: boolean, errorType: string | undefined, agent: string | undefined): Attributes {
  return {
    "mcp.method.name": request.method,
    "network.transport": http ? "tcp" : "pipe",
    ...targetAttributes(request),
    ...(errorType ? { "error.type": errorType } : {}),
    ...(agent ? { "band.agent": agent } : {}),
  };
}

/** A JSON-RPC error's code, or `tool_error` for a tool result with `isError`; undefined for a success. */
function errorTypeOf(answer: JSONRPCMessage): string | undefined {
  if ("error" in answer) return String(answer.error.code);
  if ("result" in answer && (answer.result as { isError?: unknown }).isError === true) return "tool_error";
  return undefined;
}

function endSpan({ SpanStatusCode }: Api, span: Span, answer: JSONRPCMessage, errorType: string | undefined): void {
  if (errorType !== undefined) span.setAttribute("error.type", errorType);
  if ("error" in answer) {
    span.setAttribute("rpc.response.status_code", String(answer.error.code));
    span.setStatus({ code: SpanStatusCode.ERROR, message: answer.error.message });
  } else if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
