/** Loopback checks, shared by the HTTP front door and the sandbox (which must not import the front door). */
import type { IncomingMessage } from "node:http";

/** Hostnames (as URL parses them) that only this machine can reach. */
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith(".localhost");
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
