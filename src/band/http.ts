import type { Dispatcher } from "undici";
import { Agent, EnvHttpProxyAgent } from "./dispatchers.js";
import { telemetry } from "../telemetry/telemetry.js";
import { backoff, sleep } from "../backoff.js";
import type { Secret } from "../config.js";
import type { Logger } from "../log.js";
import { escapeControls } from "../log.js";
import { exchange, ResponseTooLarge, type Exchange } from "./exchange.js";
import type { operations } from "./generated/openapi.js";
import { OPERATIONS, type OperationId } from "./generated/operations.js";
import { requestPath, type QueryValue } from "./paths.js";

/** A Band request that failed: an HTTP error status, or no answer at all (status 0). */
export class BandApiError extends Error {
  constructor(
    readonly operation: OperationId,
    readonly status: number,
    readonly code: string | undefined,
    readonly bandMessage: string | undefined,
    readonly requestId: string | undefined,
    readonly details: Record<string, unknown> | undefined,
    /** How many times the request was retried before giving up. */
    readonly retries: number,
    /** Seconds Band asked us to wait (429 Retry-After), when known. */
    readonly retryAfter?: number,
  ) {
    super(`Band ${operation} failed: ${status === 0 ? "no response" : `HTTP ${status}`}${code ? ` (${code})` : ""}${bandMessage ? `: ${bandMessage}` : ""}`);
    this.name = "BandApiError";
  }

  /**
   * Whether Band may have carried the request out although it failed: a write that reached it and got no clear
   * refusal back (no answer, an unreadable one, or a server error). A read, or a connection refused, changed nothing.
   */
  get mayHaveLanded(): boolean {
    if (OPERATIONS[this.operation].method === "GET" || this.code === "ECONNREFUSED") return false;
    return this.status === 0 || this.status >= 500 || this.code === "not_json" || this.code === "response_too_large";
  }
}

type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;
type SuccessStatus<Op extends OperationId> = Extract<keyof operations[Op]["responses"], 200 | 201>;
type SuccessBody<Op extends OperationId> = JsonBody<operations[Op]["responses"][SuccessStatus<Op>]>;
/** The `data` of an operation's success body, as the spec types it. */
export type BandData<Op extends OperationId> = SuccessBody<Op> extends { data?: infer D } ? NonNullable<D> : unknown;

export interface BandResult<T> {
  status: number;
  /** The unwrapped `data` (null for 204 No Content). */
  data: T;
  /** List metadata (`metadata`, or the deprecated `meta`), when Band sent it. */
  metadata?: Record<string, unknown>;
}

export interface CallOptions {
  path?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Retry 5xx and network failures even though the method is not idempotent (safe for this call). */
  idempotent?: boolean;
}

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the error is reported instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 4_000, maxRetryAfterMs: 20_000 };

export interface BandClientOptions {
  baseUrl: string;
  key: Secret;
  dispatcher: Dispatcher;
  log: Logger;
  retry?: RetryPolicy;
  /** The most one attempt may wait for Band's answer (default 10 s). */
  timeoutMs?: number;
  /** The most one call may take, retries included (default 25 s): hosts give a request 60 s. */
  budgetMs?: number;
  /** Answers longer than this are not read (default 10 MB). */
  maxBodyBytes?: number;
  /** Told of each call that succeeded (the live inbox notes the agent's activity in a chat). */
  onSuccess?: (operation: OperationId, path: Record<string, string | number> | undefined) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_BUDGET_MS = 25_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** A retry with less time than this left would only fail for want of time: the error is reported instead. */
const MIN_ATTEMPT_MS = 1_000;

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** One dispatcher per process: keep-alive, and the proxy settings when any are given. */
export function createDispatcher(proxy: { httpsProxy?: string; httpProxy?: string; noProxy?: string }): Dispatcher {
  const agentOptions = { keepAliveTimeout: 30_000, connect: { timeout: 10_000 } };
  if (proxy.httpsProxy || proxy.httpProxy) {
    return new EnvHttpProxyAgent({ ...agentOptions, httpProxy: proxy.httpProxy, httpsProxy: proxy.httpsProxy, noProxy: proxy.noProxy ?? "" });
  }
  return new Agent(agentOptions);
}

/**
 * Band's REST Request API: the `X-API-Key`, the `{data}` envelope, retries and typed errors in one place.
 * This is the only layer that retries a request: callers (claims, drains, marks) call once and get the outcome
 * of all attempts, so one logical call never becomes retries of retries.
 */
export class BandClient {
  readonly #key: Secret;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #budgetMs: number;
  readonly #maxBodyBytes: number;
  /** The base URL split once: requests go out as origin + path, so no URL is parsed per call. */
  readonly #origin: string;
  readonly #basePath: string;
  /**
   * The request headers, built once: the live inbox makes two calls per message, so per-call objects and
   * spreads showed in `npm run bench` throughput. undici only reads them.
   */
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;

  constructor(private readonly options: BandClientOptions) {
    this.#key = options.key;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, "");
    const headers = { "x-api-key": this.#key.reveal(), accept: "application/json", "user-agent": "band-mcp-server" };
    this.#headers = headers;
    this.#jsonHeaders = { ...headers, "content-type": "application/json" };
  }

  call<Op extends OperationId>(operation: Op, options: CallOptions = {}): Promise<BandResult<BandData<Op>>> {
    const { method, path } = OPERATIONS[operation];
    return telemetry().bandCall(method, path, () => this.#send(operation, method, path, options));
  }

  async #send<Op extends OperationId>(operation: Op, method: string, path: string, options: CallOptions): Promise<BandResult<BandData<Op>>> {
    const target = requestPath(this.#basePath, path, options.path, options.query);
    const headers = options.body === undefined ? this.#headers : this.#jsonHeaders;
    const retriable = IDEMPOTENT_METHODS.has(method) || options.idempotent === true;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const deadline = Date.now() + this.#budgetMs;

    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      let failure: BandApiError;
      let waitMs: number | undefined;
      try {
        const response = await exchange(this.options.dispatcher, {
          origin: this.#origin,
          path: target,
          method,
          headers,
          body,
          signal: options.signal,
          timeoutMs: Math.max(1, Math.min(this.#timeoutMs, deadline - Date.now())),
          maxBodyBytes: this.#maxBodyBytes,
        });
        if (response.statusCode < 300) {
          const result = parseSuccess<BandData<Op>>(operation, response, attempt);
          this.options.onSuccess?.(operation, options.path);
          return result;
        }
        failure = parseFailure(operation, response.statusCode, response.text, attempt, response.headers["retry-after"]);
        // A 429 was refused before any work happened, so even a POST can be sent again.
        if (response.statusCode === 429 || (response.statusCode >= 500 && retriable)) {
          waitMs = failure.retryAfter !== undefined ? failure.retryAfter * 1000 : this.#backoff(attempt);
        }
      } catch (error) {
        if (error instanceof BandApiError) throw error;
        if (options.signal?.aborted) throw options.signal.reason;
        // Not retried: the same request would bring the same answer.
        if (error instanceof ResponseTooLarge) {
          throw new BandApiError(operation, error.statusCode, "response_too_large", `its answer is larger than ${error.limit / 1024 / 1024} MB, so it was not read`, undefined, undefined, attempt);
        }
        failure = new BandApiError(operation, 0, networkCode(error), describeNetworkError(error), undefined, undefined, attempt);
        // A request that never connected cannot have landed; otherwise only idempotent calls are resent.
        if (retriable || failure.code === "ECONNREFUSED") waitMs = this.#backoff(attempt);
      }
      if (waitMs === undefined || attempt >= this.#retry.maxRetries || waitMs > this.#retry.maxRetryAfterMs) throw failure;
      if (Date.now() + waitMs + MIN_ATTEMPT_MS > deadline) throw outOfTime(failure, this.#budgetMs);
      this.options.log.debug(`retrying ${operation} after ${failure.status || failure.code}`, { attempt: attempt + 1, waitMs });
      await sleep(waitMs, options.signal);
    }
  }

  #backoff(attempt: number): number {
    return backoff(attempt + 1, this.#retry.baseDelayMs, this.#retry.maxDelayMs);
  }
}

function parseSuccess<T>(operation: OperationId, response: Exchange, retries: number): BandResult<T> {
  const { statusCode: status, text } = response;
  if (status === 204 || !/\S/.test(text)) return { status, data: null as T };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Reported below, with what came instead.
  }
  if (parsed === null || typeof parsed !== "object") {
    const type = response.headers["content-type"];
    const shown = escapeControls(JSON.stringify(text.slice(0, 80)));
    throw new BandApiError(operation, status, "not_json", `answered HTTP ${status} with ${type ? `content type ${String(type).slice(0, 80)}` : "no content type"}, not JSON; it began ${shown}`, undefined, undefined, retries);
  }
  const json = parsed as { data?: T; metadata?: Record<string, unknown>; meta?: Record<string, unknown> };
  const metadata = json.metadata ?? json.meta;
  return { status, data: (json.data ?? null) as T, ...(metadata ? { metadata } : {}) };
}

/** Accepts both the spec's `{error: {code, message, request_id, details}}` and the docs' flat `{error, message}`. */
function parseFailure(operation: OperationId, status: number, text: string, retries: number, retryAfterHeader: string | string[] | undefined): BandApiError {
  let code: string | undefined;
  let message: string | undefined;
  let requestId: string | undefined;
  let details: Record<string, unknown> | undefined;
  let retryAfterBody: number | undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const error = json.error;
    if (error && typeof error === "object") {
      const e = error as Record<string, unknown>;
      code = asString(e.code);
      message = asString(e.message);
      requestId = asString(e.request_id);
      details = e.details && typeof e.details === "object" ? (e.details as Record<string, unknown>) : undefined;
      retryAfterBody = typeof e.retry_after === "number" ? e.retry_after : undefined;
    } else {
      code = asString(error);
      message = asString(json.message);
      requestId = asString(json.request_id);
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone has to speak.
  }
  const retryAfter = parseRetryAfter(Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader) ?? retryAfterBody;
  return new BandApiError(operation, status, code, message?.slice(0, 300), requestId, details, retries, retryAfter);
}

/** The failure, saying the call ran out of its time budget (so no further retry was tried). */
function outOfTime(failure: BandApiError, budgetMs: number): BandApiError {
  const why = `${failure.bandMessage ?? failure.code ?? "no answer"}; gave up after ${Math.round(budgetMs / 1000)} s`;
  return new BandApiError(failure.operation, failure.status, failure.code, why, failure.requestId, failure.details, failure.retries, failure.retryAfter);
}

export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = (error as { code?: unknown })?.code ?? cause?.code;
  return typeof code === "string" ? code : "network_error";
}

function describeNetworkError(error: unknown): string {
  const code = networkCode(error);
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return "Band did not answer in time";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  return error instanceof Error ? error.message : String(error);
}
