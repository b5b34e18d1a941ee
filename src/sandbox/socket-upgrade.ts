/**
 * Whether Band lets a socket upgrade through, checked in this order (each refusal is an HTTP response, never a
 * WebSocket): path (404) → scripted refusals (refuseUpgrades) → API key (403) → on_conflict value (400)
 * → vsn (accepted, then closed with 1011) → one live socket per agent (409 with reject, else supersede).
 */
import type { IncomingMessage } from "node:http";
import { firstHeader } from "./socket-wire.js";

export type RefusalStatus = 400 | 409 | 429 | 503;

/** One upgrade attempt on the socket path, whatever its outcome. */
export interface UpgradeRecord {
  query: Record<string, string>;
  /** Where the API key came from (the header wins when both are sent). */
  keySource: "header" | "query" | "none";
  /** Set once the key authenticated. */
  agentId?: string;
  /** 101 when the upgrade was accepted (including the vsn → 1011 case), else the HTTP status sent. */
  status: number;
}

export const SOCKET_PATH = "/api/v1/socket/websocket";

export type Verdict =
  | { kind: "refuse"; status: number; error: { code: string; message: string }; retryAfter?: number }
  /** Band's docs: "connection fails with error 1011" without vsn=2.0.0, i.e. after the upgrade. */
  | { kind: "vsn" }
  /** `supersede`: the agent's live socket gives way to this one. */
  | { kind: "accept"; agentId: string; supersede: boolean };

const REFUSALS: Record<RefusalStatus, { code: string; message: string }> = {
  400: { code: "invalid_on_conflict", message: "on_conflict must be \"reject\" or \"supersede\"" },
  409: { code: "connection_conflict", message: "Another connection for this agent is already active" },
  429: { code: "too_many_requests", message: "Too many connection attempts" },
  503: { code: "tracking_failed", message: "Could not track the connection, try again" },
};

type Authenticate = (key: string, agentIdParam: string | undefined) => { agentId: string } | undefined;

export class UpgradeGate {
  readonly #scripted: { status: RefusalStatus; retryAfter?: number; remaining: number }[] = [];

  constructor(private readonly authenticate: Authenticate) {}

  /** The next `count` upgrades (default 1) get this HTTP status and Band's error body. */
  script(status: RefusalStatus, options: { count?: number; retryAfter?: number }): void {
    const count = options.count ?? 1;
    if (count > 0) this.#scripted.push({ status, retryAfter: options.retryAfter, remaining: count });
  }

  /** The verdict on an upgrade, and its record (none off the socket path); `isLive`: whether the agent has a socket. */
  check(req: IncomingMessage, isLive: (agentId: string) => boolean): { record?: UpgradeRecord; verdict: Verdict } {
    const url = new URL(req.url ?? "/", "http://local-band");
    if (url.pathname !== SOCKET_PATH) return { verdict: { kind: "refuse", status: 404, error: { code: "not_found", message: `No WebSocket endpoint at ${url.pathname}` } } };
    const query = Object.fromEntries(url.searchParams);
    const headerKey = firstHeader(req.headers["x-api-key"]);
    const key = headerKey || query.api_key || undefined;
    const record: UpgradeRecord = { query, keySource: headerKey ? "header" : key ? "query" : "none", status: 0 };
    const refuse = (status: number, error: { code: string; message: string }, retryAfter?: number) => {
      record.status = status;
      return { record, verdict: { kind: "refuse" as const, status, error, ...(retryAfter === undefined ? {} : { retryAfter }) } };
    };

    const scripted = this.#scripted[0];
    if (scripted) {
      if (--scripted.remaining <= 0) this.#scripted.shift();
      return refuse(scripted.status, REFUSALS[scripted.status], scripted.retryAfter);
    }

    // agent_id, when sent, must name the authenticated agent (Band refuses a wrong one like a bad key).
    const auth = key ? this.authenticate(key, query.agent_id) : undefined;
    if (!auth || (query.agent_id !== undefined && query.agent_id !== auth.agentId)) return refuse(403, { code: "unauthorized", message: "Invalid or missing API key" });
    record.agentId = auth.agentId;

    const onConflict = query.on_conflict ?? "supersede";
    if (onConflict !== "supersede" && onConflict !== "reject") return refuse(400, REFUSALS[400]);

    if (query.vsn !== "2.0.0") {
      record.status = 101;
      return { record, verdict: { kind: "vsn" } };
    }
    // "Last connection wins" unless the newcomer asked to be refused instead.
    const live = isLive(auth.agentId);
    if (live && onConflict === "reject") return refuse(409, REFUSALS[409]);
    record.status = 101;
    return { record, verdict: { kind: "accept", agentId: auth.agentId, supersede: live } };
  }
}
