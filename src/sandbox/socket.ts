/**
 * BandSocketServer: Band's "Subscriptions API" socket (Phoenix Channels v2 JSON over WebSocket), as described in
 * docs/PROTOCOL.md §5. Where Band's docs are silent it behaves like a stock Phoenix endpoint, so that
 * the real phoenix.js client (what the product uses) sees exactly what it would see in production. Which
 * upgrades pass is socket-upgrade.ts's to say; what to push, and when, socket-frames.ts's.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { topics } from "../realtime/topics.js";
import { UpgradeGate, type RefusalStatus, type UpgradeRecord } from "./socket-upgrade.js";
import { isFrame, isSendableCloseCode, parse, rawText, refuse, type Frame } from "./socket-wire.js";

export { SOCKET_PATH, type RefusalStatus, type UpgradeRecord } from "./socket-upgrade.js";

/** Band's idle limit: the socket is closed after 45 s without any client traffic (PROTOCOL.md §5.3). */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

export interface SocketServerOptions {
  /** undefined → HTTP 403 at upgrade. */
  authenticate(key: string, agentIdParam: string | undefined): { agentId: string } | undefined;
  /** false → phx_reply {status:"error", response:{reason:"unauthorized"}}. */
  canJoin(agentId: string, topic: string): boolean;
  /** Close a socket after this long without client traffic; default 45000. Tests shorten it. */
  idleTimeoutMs?: number;
  /** One line per notable event (ignored frames, refusals, closes); silent when absent. */
  log?: (line: string) => void;
  /** Keep `frames` and `upgrades` (default true, for assertions); a long-running sandbox turns this off. */
  record?: boolean;
  /** An agent's socket came (true) or went (false): the sandbox's web chat shows who is online. */
  onConnection?: (agentId: string, connected: boolean) => void;
}

export interface FrameRecord {
  agentId: string;
  direction: "in" | "out";
  /** The parsed JSON when the frame was JSON, else its raw text. */
  frame: unknown;
}

interface Connection {
  ws: WebSocket;
  agentId: string;
  /** Joined topics → the join_ref of their current join; pushes must carry it (PHX-PY drops others). */
  joins: Map<string, string | null>;
  idle: NodeJS.Timeout | undefined;
}

const OK = { status: "ok", response: {} };

export class BandSocketServer {
  /** Every frame in both directions, in order, for assertions. */
  readonly frames: FrameRecord[] = [];
  /** Every upgrade attempt on the socket path, in order. */
  readonly upgrades: UpgradeRecord[] = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly live = new Map<string, Connection>();
  private readonly gate: UpgradeGate;
  private readonly idleTimeoutMs: number;
  private stalled = false;
  private pushFilter: ((agentId: string, topic: string, event: string) => boolean) | undefined;
  /** Pushes `dropPushes` swallowed: a frame Band never sent. */
  droppedPushes = 0;
  private server: Server | undefined;
  private supersedes = 0;

  constructor(private readonly options: SocketServerOptions) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.gate = new UpgradeGate(options.authenticate);
  }

  attach(server: Server): void {
    this.server = server;
    server.on("upgrade", this.onUpgrade);
  }

  /** Sends an event on a joined topic with that join's join_ref; false (nothing sent) when not joined. */
  push(agentId: string, topic: string, event: string, payload: object): boolean {
    const conn = this.live.get(agentId);
    if (!conn || !conn.joins.has(topic)) return false;
    if (this.pushFilter?.(agentId, topic, event)) {
      this.droppedPushes++;
      return false;
    }
    return this.send(conn, [conn.joins.get(topic) ?? null, null, topic, event, payload]);
  }

  isJoined(agentId: string, topic: string): boolean {
    return this.live.get(agentId)?.joins.has(topic) ?? false;
  }

  joinedTopics(agentId: string): string[] {
    return [...(this.live.get(agentId)?.joins.keys() ?? [])];
  }

  connectedAgents(): string[] {
    return [...this.live.keys()];
  }

  /**
   * Ends the agent's socket without any Phoenix goodbye (no phx_close, no phx_error). Without a code (or with
   * one that cannot go in a close frame, like 1006) the TCP connection is destroyed, so the client sees 1006;
   * with a valid code a close frame carrying it is sent.
   */
  drop(agentId: string, code?: number): void {
    const conn = this.live.get(agentId);
    if (!conn) return;
    this.release(conn);
    if (code !== undefined && isSendableCloseCode(code)) conn.ws.close(code, "dropped");
    else conn.ws.terminate();
  }

  /** The next `count` upgrades on the socket path (default 1) get this HTTP status and Band's error body. */
  refuseUpgrades(status: RefusalStatus, options: { count?: number; retryAfter?: number } = {}): void {
    this.gate.script(status, options);
  }

  /** Pushes for which `drop` returns true are never sent (a frame lost on Band's side); undefined stops dropping. */
  dropPushes(drop: ((agentId: string, topic: string, event: string) => boolean) | undefined): void {
    this.pushFilter = drop;
  }

  /** While stalled, heartbeats are read (they still count as traffic) but never answered. */
  stallHeartbeats(stalled: boolean): void {
    this.stalled = stalled;
  }

  /** Sends any text as-is (malformed or unknown frames); false when the agent has no live socket. */
  sendRaw(agentId: string, text: string): boolean {
    const conn = this.live.get(agentId);
    if (!conn || conn.ws.readyState !== WebSocket.OPEN) return false;
    this.record(agentId, "out", parse(text));
    conn.ws.send(text);
    return true;
  }

  /**
   * Evicts the agent's socket the way Band does for a newer session: a `supersede` event on
   * agent_control:{id} (only if that topic is joined), then a normal close (1000, like a Phoenix disconnect).
   */
  supersede(agentId: string, payload?: object): void {
    const conn = this.live.get(agentId);
    if (!conn) return;
    this.push(agentId, topics.control(agentId), "supersede", payload ?? {
      reason: "session.already_connected",
      message: "This connection has been superseded by a newer session for this agent.",
      retryable: false,
      retry_after: 5,
      target_socket_id: `agent_socket:${agentId}`,
      correlation_id: `evict-${++this.supersedes}`,
    });
    this.release(conn);
    conn.ws.close(1000, "superseded");
  }

  async close(): Promise<void> {
    this.server?.off("upgrade", this.onUpgrade);
    this.server = undefined;
    for (const conn of this.live.values()) this.release(conn);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---- upgrade ------------------------------------------------------------------------------------------------

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client that resets mid-handshake must not crash the test process.
    socket.on("error", (err) => this.log(`upgrade socket error: ${err.message}`));

    const { record, verdict } = this.gate.check(req, (agentId) => this.live.has(agentId));
    if (record && this.options.record !== false) this.upgrades.push(record);
    if (verdict.kind === "refuse") {
      // Off the socket path (no record) there is no upgrade to speak of.
      if (record) this.log(`upgrade refused: ${verdict.status} ${verdict.error.code}`);
      refuse(socket, verdict.status, verdict.error, verdict.retryAfter);
    } else if (verdict.kind === "vsn") {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on("error", () => undefined);
        ws.close(1011, "vsn=2.0.0 is required");
      });
    } else {
      if (verdict.supersede) this.supersede(verdict.agentId);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, verdict.agentId));
    }
  };

  private accept(ws: WebSocket, agentId: string): void {
    const conn: Connection = { ws, agentId, joins: new Map(), idle: undefined };
    this.live.set(agentId, conn);
    this.options.onConnection?.(agentId, true);
    this.touch(conn);
    ws.on("message", (data, isBinary) => {
      this.touch(conn);
      this.onMessage(conn, data, isBinary);
    });
    ws.on("ping", () => this.touch(conn));
    ws.on("error", (err) => this.log(`socket error (${agentId}): ${err.message}`));
    ws.on("close", (code) => {
      this.log(`socket closed (${agentId}): ${code}`);
      this.release(conn);
    });
  }

  /** Forgets a connection at once (even while its close handshake is still running), so it no longer counts as live. */
  private release(conn: Connection): void {
    clearTimeout(conn.idle);
    if (this.live.get(conn.agentId) !== conn) return;
    this.live.delete(conn.agentId);
    this.options.onConnection?.(conn.agentId, false);
  }

  /** Restarts the idle timer; any client traffic counts, heartbeats included. */
  private touch(conn: Connection): void {
    clearTimeout(conn.idle);
    conn.idle = setTimeout(() => {
      this.log(`idle timeout (${conn.agentId})`);
      this.release(conn);
      conn.ws.close(1000, "idle timeout");
    }, this.idleTimeoutMs);
    conn.idle.unref();
  }

  // ---- frames -------------------------------------------------------------------------------------------------

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    const text = rawText(data);
    const frame = isBinary ? text : parse(text);
    this.record(conn.agentId, "in", frame);
    if (isBinary || !isFrame(frame)) {
      // Band speaks JSON text frames only; anything else is dropped rather than crashing the socket.
      this.log(`ignored frame from ${conn.agentId}: ${text.slice(0, 200)}`);
      return;
    }
    const [joinRef, ref, topic, event] = frame;
    const reply = (payload: object): void => void this.send(conn, [joinRef, ref, topic, "phx_reply", payload]);

    if (topic === "phoenix" && event === "heartbeat") {
      if (!this.stalled) reply(OK);
      return;
    }
    if (event === "phx_join") {
      // Phoenix closes a duplicate join's old channel before handling the new one.
      this.closeChannel(conn, topic);
      if (!this.options.canJoin(conn.agentId, topic)) {
        reply({ status: "error", response: { reason: "unauthorized" } });
        return;
      }
      conn.joins.set(topic, joinRef);
      reply(OK);
      return;
    }
    if (event === "phx_leave") {
      // Phoenix answers a leave with ok even when the topic is not joined; phx_close follows only for a real channel.
      reply(OK);
      this.closeChannel(conn, topic);
      return;
    }
    // Band's channels are read-only; a topic that is not joined gets Phoenix's own answer.
    reply({ status: "error", response: { reason: conn.joins.has(topic) ? "unknown event" : "unmatched topic" } });
  }

  /** Leaves a joined topic the way Phoenix reports it: [join_ref, join_ref, topic, "phx_close", {}]. */
  private closeChannel(conn: Connection, topic: string): void {
    if (!conn.joins.has(topic)) return;
    const joinRef = conn.joins.get(topic) ?? null;
    conn.joins.delete(topic);
    this.send(conn, [joinRef, joinRef, topic, "phx_close", {}]);
  }

  private send(conn: Connection, frame: Frame): boolean {
    if (conn.ws.readyState !== WebSocket.OPEN) return false;
    this.record(conn.agentId, "out", frame);
    conn.ws.send(JSON.stringify(frame));
    return true;
  }

  private record(agentId: string, direction: "in" | "out", frame: unknown): void {
    if (this.options.record !== false) this.frames.push({ agentId, direction, frame });
  }

  private log(line: string): void {
    this.options.log?.(`[band socket] ${line}`);
  }
}
