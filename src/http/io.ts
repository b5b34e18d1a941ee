import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** Small HTTP plumbing shared by the MCP endpoints and the hub's REST surface. */

export type JsonBody = { ok: true; value: unknown } | { ok: false; tooLarge: boolean; message: string };

/**
 * How much of a refused body is still read (and dropped) after its 413: a client still sending when the answer
 * comes would otherwise hit a reset (EPIPE) and never read it. Past either bound the connection is cut.
 */
export const DRAIN_LIMITS = { bytes: 32 * 1024 * 1024, ms: 15_000 };

/**
 * A request's JSON body, at most `maxBytes`. A body over the cap (declared or found while reading) is refused at
 * once, and the rest of it is drained in the background within DRAIN_LIMITS, so the caller's 413 reaches the
 * client and the connection stays usable.
 */
export function readJson(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const tooLarge = { ok: false, tooLarge: true, message: `The request body is over ${maxBytes} bytes.` } as const;
  if (Number(req.headers["content-length"]) > maxBytes) {
    drain(req, 0);
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd).off("error", reject);
      drain(req, size);
      resolve(tooLarge);
    };
    const onEnd = () => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      } catch {
        resolve({ ok: false, tooLarge: false, message: "The body is not JSON." });
      }
    };
    req.on("data", onData).once("end", onEnd).once("error", reject);
  });
}

/** Reads and drops the rest of a refused body; cuts the connection past DRAIN_LIMITS. */
function drain(req: IncomingMessage, alreadyRead: number): void {
  let size = alreadyRead;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_LIMITS.ms).unref();
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > DRAIN_LIMITS.bytes) cut();
  });
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  // Already answered: by a shutdown, which does not wait for a handler stuck on Band.
  if (res.writableEnded) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** Errors in JSON-RPC shape, which the SDK's client transport reports as they are (the MCP endpoints). */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null });
}

/** Errors of the hub's REST surface: `{error: {code, message}}`. */
export function sendRestError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** A path segment decoded; a malformed escape stays as written (and then fails the label or id check). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
