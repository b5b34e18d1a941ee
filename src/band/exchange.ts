import type { Dispatcher } from "undici";

export interface Exchange {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The whole body, as UTF-8 text. */
  text: string;
}

export interface ExchangeOptions {
  origin: string;
  /** Path and query, already encoded. */
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Answers longer than this are not read: the request fails with ResponseTooLarge. */
  maxBodyBytes: number;
}

/** An answer over ExchangeOptions.maxBodyBytes: reading stopped there, so it never fills memory. */
export class ResponseTooLarge extends Error {
  constructor(
    readonly statusCode: number,
    readonly limit: number,
  ) {
    super(`the answer (HTTP ${statusCode}) is larger than ${limit} bytes`);
    this.name = "ResponseTooLarge";
  }
}

/**
 * One HTTP request through undici's dispatch API, the answer collected as text. undici's request() wraps every
 * answer in a Readable stream behind a chain of handlers; for Band's small JSON bodies that machinery cost more
 * CPU than the exchange itself (about 55 against 25 µs a call on loopback), and the live inbox makes two calls
 * per message (claim and mark), so it showed in `npm run bench` throughput.
 */
export function exchange(dispatcher: Dispatcher, options: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    const chunks: Buffer[] = [];
    let received = 0;
    let statusCode = 0;
    let headers: Exchange["headers"] = {};
    let controller: Dispatcher.DispatchController | undefined;
    const onAbort = () => controller?.abort(signal!.reason as Error);
    const settle = () => signal?.removeEventListener("abort", onAbort);
    signal?.addEventListener("abort", onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (signal?.aborted) started.abort(signal.reason as Error);
      },
      onResponseStart(started, status, responseHeaders) {
        statusCode = status;
        headers = responseHeaders;
        if (Number(responseHeaders["content-length"]) > options.maxBodyBytes) started.abort(new ResponseTooLarge(status, options.maxBodyBytes));
      },
      onResponseData(started, chunk) {
        received += chunk.length;
        if (received > options.maxBodyBytes) return started.abort(new ResponseTooLarge(statusCode, options.maxBodyBytes));
        chunks.push(chunk);
      },
      onResponseEnd() {
        settle();
        resolve({ statusCode, headers, text: chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8") });
      },
      onResponseError(_controller, error) {
        settle();
        reject(error);
      },
    };
    try {
      dispatcher.dispatch(
        { origin: options.origin, path: options.path, method: options.method, headers: options.headers, body: options.body, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
        handler,
      );
    } catch (error) {
      settle();
      reject(error);
    }
  });
}
