import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ConfigError } from "../config.js";
import { isLoopbackHost } from "../loopback.js";

export { isLoopbackHost, rebindingProblem } from "../loopback.js";

/** Serving beyond this machine without credentials would hand the agents' Band identities to the whole network. */
export function assertSafeExposure(host: string, hasCredentials: boolean): void {
  if (!isLoopbackHost(host) && !hasCredentials) {
    throw new ConfigError([
      `--host ${host} exposes the server beyond this machine, and BAND_MCP_HTTP_TOKEN is not set. Set BAND_MCP_HTTP_TOKEN to a long random secret (clients send it as "Authorization: Bearer <token>"), or per-agent tokens (BAND_MCP_HTTP_TOKEN_<LABEL>) or BAND_MCP_HTTP_JWT_SECRET; or bind to 127.0.0.1.`,
    ]);
  }
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
}

/**
 * A token as secrets are compared: its SHA-256 digest, so the comparison runs on equal-length buffers in constant
 * time, without revealing the secret's length either.
 */
export function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Whether a presented token's digest is a secret's (both from tokenDigest), compared in constant time. */
export function sameDigest(presented: Buffer, secret: Buffer): boolean {
  return timingSafeEqual(presented, secret);
}
