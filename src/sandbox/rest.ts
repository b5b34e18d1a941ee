/**
 * The REST pipeline: record → injected faults (hooks) → route → API key → scope → handler → `{data}` or Band's
 * error envelope. Route tables live in the routes-*.ts files.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { BandFailure } from "./errors.js";
import { newRequestId } from "./ids.js";
import { Router, type Reply } from "./router.js";
import { agentRoutes } from "./routes-agent.js";
import { humanRoutes } from "./routes-human.js";
import type { BandStore } from "./store.js";

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body (the raw text when it was not JSON), undefined when none was sent. */
  body: unknown;
  /** The status answered (0 until the answer is sent). */
  status: number;
}

/** An answer that replaces the route's, chosen by a RestHooks.fault hook (the test suite's fault injection). */
export interface InjectedFault {
  status: number;
  retryAfter?: number;
  code?: string;
  /** Answered as is instead of an error envelope (a scripted success, e.g. a cursor page that repeats). */
  body?: unknown;
}

/** Optional observers of the pipeline: the test suite records requests and injects faults through these. */
export interface RestHooks {
  /** Called with each request's record as it arrives; `status` is filled in when the answer is sent. */
  record?(request: RecordedRequest): void;
  /** Consulted after the body is parsed and before routing: an answer here replaces the route's. */
  fault?(method: string, path: string): InjectedFault | undefined;
}

const DEFAULT_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation_error",
  429: "too_many_requests",
  500: "internal_server_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

const AGENT_PREFIX = "/api/v1/agent/";
const HUMAN_PREFIX = "/api/v1/me/";

function send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
  record.status = reply.status;
  const requestId = newRequestId();
  const headers: Record<string, string> = { "x-request-id": requestId, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  // Error envelopes carry the same request id as the header.
  const body = reply.body as { error?: { request_id?: string } };
  if (body.error && body.error.request_id === "") body.error.request_id = requestId;
  res.writeHead(reply.status, { ...headers, "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(reply.body));
}

function failure(status: number, code: string, message: string, details?: Record<string, string[]>, headers?: Record<string, string>): Reply {
  // ValidationError (422) requires `details`; other errors carry it only when there is something to say.
  const withDetails = details ?? (status === 422 ? {} : undefined);
  return { status, body: { error: { code, message, request_id: "", ...(withDetails ? { details: withDetails } : {}) } }, ...(headers ? { headers } : {}) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function createRestHandler(store: BandStore, hooks: RestHooks = {}): RequestListener {
  const router = new Router();
  agentRoutes(router);
  humanRoutes(router);

  const answer = (method: string, url: URL, text: string, req: IncomingMessage, record: RecordedRequest): Reply => {
    let body: unknown;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        record.body = text;
        return failure(400, "bad_request", "Malformed JSON body");
      }
    }
    record.body = body;

    const fault = hooks.fault?.(method, url.pathname);
    if (fault?.body !== undefined) return { status: fault.status, body: fault.body };
    if (fault) {
      const code = fault.code ?? DEFAULT_CODES[fault.status] ?? "error";
      const headers = fault.retryAfter === undefined ? undefined : { "Retry-After": String(fault.retryAfter) };
      return failure(fault.status, code, `Injected failure (${fault.status})`, undefined, headers);
    }

    const route = router.match(method, url.pathname);
    if (!route) return failure(404, "not_found", `No route for ${method} ${url.pathname}`);

    const key = req.headers["x-api-key"];
    const actor = typeof key === "string" ? store.actorByKey(key) : undefined;
    if (!actor) return failure(401, "unauthorized", "Invalid or missing API key");
    if (url.pathname.startsWith(AGENT_PREFIX) && actor.type !== "Agent") return failure(403, "forbidden", "Agent authentication required");
    if (url.pathname.startsWith(HUMAN_PREFIX) && actor.type !== "User") return failure(403, "forbidden", "Agent authentication not allowed");

    try {
      return route.handler({ store, actor, params: route.params, query: record.query, body });
    } catch (error) {
      if (error instanceof BandFailure) return failure(error.status, error.code, error.message, error.details);
      // A bug in the local Band: loud on stderr, and a 500 for the client.
      console.error("local band: handler crashed", method, url.pathname, error);
      return failure(500, "internal_server_error", "Internal server error");
    }
  };

  return (req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://local-band");
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, status: 0 };
    hooks.record?.(record);
    readBody(req).then(
      (text) => send(res, record, answer(method, url, text, req, record)),
      () => send(res, record, failure(400, "bad_request", "Could not read the request body")),
    );
  };
}
