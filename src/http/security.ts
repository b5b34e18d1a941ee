import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ConfigError, type Secret } from "../config.js";

/** Hostnames (as URL parses them) that only this machine can reach. */
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith(".localhost");
}

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
 * Whether a presented token is the secret. Both sides are hashed first so the comparison runs on equal-length
 * buffers in constant time, without revealing the secret's length either.
 */
export function sameSecret(presented: string, secret: Secret): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(secret.reveal()));
}

/**
 * DNS-rebinding protection for a server bound to loopback: a web page whose hostname was re-pointed at
 * 127.0.0.1 sends its own hostname as Host, and its own origin as Origin. Only loopback names pass (any port,
 * like the SDK's localhostHostValidation). Returns the problem, or undefined when the request may proceed.
 */
export function rebindingProblem(req: IncomingMessage): string | undefined {
  const hostname = hostnameOf(req.headers.host ? `http://${req.headers.host}` : undefined);
  if (!hostname || !isLoopbackHost(hostname)) return `Host header ${JSON.stringify(req.headers.host ?? "")} is not a loopback name`;
  const origin = req.headers.origin;
  // Non-browser clients send no Origin; browsers send one, and it must be a local page too.
  if (origin !== undefined) {
    const originHost = hostnameOf(origin);
    if (!originHost || !isLoopbackHost(originHost)) return `Origin ${JSON.stringify(origin)} is not a loopback origin`;
  }
  return undefined;
}

function hostnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
