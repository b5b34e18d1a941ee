import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { ConfigError, Secret } from "../../src/config.js";
import { assertSafeExposure, bearerToken, isLoopbackHost, rebindingProblem, sameDigest, tokenDigest } from "../../src/http/security.js";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("HTTP mode security", () => {
  it("knows loopback hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "example.com", "127.0.0.1.nip.io"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("refuses a non-loopback bind without a token", () => {
    expect(() => assertSafeExposure("0.0.0.0", false)).toThrow(ConfigError);
    expect(() => assertSafeExposure("0.0.0.0", false)).toThrow(/BAND_MCP_HTTP_TOKEN/);
    expect(() => assertSafeExposure("0.0.0.0", true)).not.toThrow();
    expect(() => assertSafeExposure("127.0.0.1", false)).not.toThrow();
  });

  it("accepts only the exact bearer token", () => {
    const token = new Secret("s3cret-token");
    // As HubAuth checks a global or per-agent token.
    const hasBearerToken = (request: IncomingMessage, secret: Secret) => {
      const presented = bearerToken(request);
      return presented !== undefined && sameDigest(tokenDigest(presented), tokenDigest(secret.reveal()));
    };
    expect(hasBearerToken(req({ authorization: "Bearer s3cret-token" }), token)).toBe(true);
    expect(hasBearerToken(req({ authorization: "bearer s3cret-token" }), token)).toBe(true);
    expect(hasBearerToken(req({ authorization: "Bearer s3cret-toke" }), token)).toBe(false);
    expect(hasBearerToken(req({ authorization: "Bearer s3cret-token-and-more" }), token)).toBe(false);
    expect(hasBearerToken(req({ authorization: "Basic s3cret-token" }), token)).toBe(false);
    expect(hasBearerToken(req({}), token)).toBe(false);
  });

  it("lets only loopback Host and Origin through (DNS rebinding)", () => {
    expect(rebindingProblem(req({ host: "127.0.0.1:8787" }))).toBeUndefined();
    expect(rebindingProblem(req({ host: "localhost:8787", origin: "http://localhost:3000" }))).toBeUndefined();
    expect(rebindingProblem(req({ host: "[::1]:8787" }))).toBeUndefined();
    expect(rebindingProblem(req({ host: "evil.example:8787" }))).toMatch(/Host/);
    expect(rebindingProblem(req({ host: "127.0.0.1:8787", origin: "http://evil.example" }))).toMatch(/Origin/);
    expect(rebindingProblem(req({ host: "127.0.0.1:8787", origin: "null" }))).toMatch(/Origin/);
    expect(rebindingProblem(req({}))).toMatch(/Host/);
  });
});
