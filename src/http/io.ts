import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** Small HTTP plumbing shared by the MCP endpoints and the hub's REST surface. */

export type JsonBody = { ok: true; value: unknown } | { ok: false; tooLarge: boolean; message: string };

/**
 * A request's JSON body, at most `maxBytes`. A declared length over the cap is refused before reading anything
 * (the caller then closes the connection rather than drain a body it will never use).
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const tooLarge = { ok: false, tooLarge: true, message: `The request body is over ${maxBytes} bytes.` } as const;
  if (Number(req.headers["content-length"]) > maxBytes) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge;
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, tooLarge: false, message: "The body is not JSON." };
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
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
