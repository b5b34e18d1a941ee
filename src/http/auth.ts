import type { IncomingMessage } from "node:http";
import { errors as joseErrors, jwtVerify } from "jose";
import type { Config } from "../config.js";
import { bearerToken, sameDigest, tokenDigest } from "./security.js";

/** Who a request may act as: every agent, or the labels listed. */
export type Grant = { ok: true; agents: "all" | ReadonlySet<string> } | { ok: false; message: string };

const HOW = 'send "Authorization: Bearer <token>"';

/**
 * The hub's credentials: BAND_MCP_HTTP_TOKEN (every agent), BAND_MCP_HTTP_TOKEN_<LABEL> (that agent), or a JWT
 * signed with BAND_MCP_HTTP_JWT_SECRET (HS256 only, `exp` required; an `agents` claim narrows it to those labels).
 * With none configured (loopback only, see assertSafeExposure) every request may act as every agent.
 */
export class HubAuth {
  readonly #http: Config["http"];
  readonly #jwtKey: Uint8Array | undefined;
  // Secrets hashed once here: a request hashes only its own token, however many agents have one.
  readonly #token: Buffer | undefined;
  readonly #agentTokens: (readonly [label: string, digest: Buffer])[];

  constructor(http: Config["http"]) {
    this.#http = http;
    this.#token = http.token ? tokenDigest(http.token.reveal()) : undefined;
    this.#agentTokens = [...http.agentTokens].map(([label, secret]) => [label, tokenDigest(secret.reveal())] as const);
    this.#jwtKey = http.jwtSecret ? new TextEncoder().encode(http.jwtSecret.reveal()) : undefined;
  }

  get required(): boolean {
    return this.#http.token !== undefined || this.#http.agentTokens.size > 0 || this.#jwtKey !== undefined;
  }

  /** What the request's bearer token grants; a failure says which header to send and what was wrong. */
  async grant(req: IncomingMessage): Promise<Grant> {
    if (!this.required) return { ok: true, agents: "all" };
    const token = bearerToken(req);
    if (token === undefined) return { ok: false, message: `Unauthorized: ${HOW} with ${this.#accepted()}.` };
    const presented = tokenDigest(token);
    if (this.#token && sameDigest(presented, this.#token)) return { ok: true, agents: "all" };
    for (const [label, digest] of this.#agentTokens) if (sameDigest(presented, digest)) return { ok: true, agents: new Set([label]) };
    if (this.#jwtKey && token.split(".").length === 3) return this.#verifyJwt(token);
    return { ok: false, message: `Unauthorized: the bearer token is not valid here; ${HOW} with ${this.#accepted()}.` };
  }

  static allows(grant: Grant & { ok: true }, label: string): boolean {
    return grant.agents === "all" || grant.agents.has(label);
  }

  async #verifyJwt(token: string): Promise<Grant> {
    try {
      const { payload } = await jwtVerify(token, this.#jwtKey!, { algorithms: ["HS256"], requiredClaims: ["exp"] });
      if (payload.agents === undefined) return { ok: true, agents: "all" };
      if (!Array.isArray(payload.agents) || !payload.agents.every((a) => typeof a === "string")) {
        return { ok: false, message: `Unauthorized: the JWT's "agents" claim must be a list of agent labels; ${HOW} with a corrected JWT.` };
      }
      return { ok: true, agents: new Set(payload.agents) };
    } catch (error) {
      return { ok: false, message: `Unauthorized: ${jwtProblem(error)}; ${HOW} with a JWT signed (HS256) with BAND_MCP_HTTP_JWT_SECRET and an "exp" claim.` };
    }
  }

  #accepted(): string {
    const kinds = [
      ...(this.#http.token ? ["the value of BAND_MCP_HTTP_TOKEN"] : []),
      ...(this.#http.agentTokens.size > 0 ? ["the agent's BAND_MCP_HTTP_TOKEN_<LABEL>"] : []),
      ...(this.#jwtKey ? ["a JWT signed with BAND_MCP_HTTP_JWT_SECRET"] : []),
    ];
    return kinds.join(", or ");
  }
}

function jwtProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "the JWT has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the JWT's "${error.claim}" claim is missing or invalid`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "the JWT's algorithm is not accepted (only HS256)";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the JWT's signature does not verify";
  return "the JWT is malformed";
}
