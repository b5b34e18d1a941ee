/** The socket's wire details: Band's upgrade refusals, and reading Phoenix v2 frames. */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { RawData } from "ws";

/** A v2 frame: [join_ref, ref, topic, event, payload]. */
export type Frame = [string | null, string | null, string, string, unknown];

/** Answers an upgrade with a plain HTTP response carrying Band's error envelope, then closes the connection. */
export function refuse(socket: Duplex, status: number, error: { code: string; message: string }, retryAfter?: number): void {
  const body = JSON.stringify({ error: retryAfter === undefined ? error : { ...error, retry_after: retryAfter } });
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`,
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(retryAfter === undefined ? [] : [`Retry-After: ${retryAfter}`]),
  ];
  socket.once("finish", () => socket.destroy());
  socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`);
}

export function isFrame(value: unknown): value is Frame {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    (value[0] === null || typeof value[0] === "string") &&
    (value[1] === null || typeof value[1] === "string") &&
    typeof value[2] === "string" &&
    typeof value[3] === "string"
  );
}

export function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString("utf8");
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Codes a close frame may carry (RFC 6455 §7.4); 1005/1006 etc. only describe closes, so those terminate. */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
