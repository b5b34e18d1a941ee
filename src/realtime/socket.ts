import type { Agent as HttpAgent, IncomingMessage } from "node:http";
import { Socket, type Channel } from "phoenix";
import WebSocket from "ws";
import { backoff } from "../backoff.js";
import { parseRetryAfter } from "../band/http.js";
import type { Secret } from "../config.js";
import type { Logger } from "../log.js";

export type SocketState = "connecting" | "connected" | "disconnected" | "conflict" | "unauthorized";

export interface SocketHandlers {
  onState(state: SocketState, detail?: string): void;
  /** A channel joined, first time or after a reconnect: the moment to drain its backlog. */
  onJoined(topic: string): void;
  onEvent(topic: string, event: string, payload: unknown): void;
}

export interface BandSocketOptions {
  wsUrl: string;
  key: Secret;
  agentId: string;
  log: Logger;
  handlers: SocketHandlers;
  /** An HTTP CONNECT agent when a proxy is configured. */
  agent?: HttpAgent;
  heartbeatIntervalMs?: number;
  reconnect?: { baseMs: number; maxMs: number };
  /** After a 409 (another socket holds the agent), reconnects wait at most this long (BAND_STANDBY_SECONDS). */
  standbyMaxMs?: number;
}

interface Refusal {
  status: number;
  code?: string;
  retryAfterMs?: number;
}

/** Upgrade refusals after which reconnecting cannot help (PROTOCOL.md §5.7). */
const TERMINAL: Record<number, { state: SocketState; detail: string }> = {
  400: { state: "disconnected", detail: "Band refused the socket parameters (invalid_on_conflict)" },
  401: { state: "unauthorized", detail: "Band rejected the API key on the socket" },
  403: { state: "unauthorized", detail: "Band rejected the API key on the socket" },
  409: { state: "conflict", detail: "another process holds this agent's Band connection (connection_conflict)" },
};

const GHOST_WINDOW_MS = 60_000;

/**
 * Band's Subscriptions API through the official phoenix client over `ws` (Node 20 has no global WebSocket,
 * and without a transport phoenix silently falls back to long-polling). Adds what phoenix lacks: the key as a
 * header, upgrade refusals read from the HTTP answer, terminal states, and a decoder that survives bad frames.
 */
export class BandSocket {
  readonly #socket: Socket;
  readonly #channels = new Map<string, Channel>();
  readonly #joined = new Set<string>();
  #refusal: Refusal | undefined;
  #terminal = false;
  #opens = 0;
  /** When a run of 409s after a reconnect began (our own half-dead socket may still be registered). */
  #conflictSince: number | undefined;

  constructor(private readonly options: BandSocketOptions) {
    const { key, agent, log } = options;
    const record = (refusal: Refusal) => (this.#refusal = refusal);
    /** phoenix constructs the transport itself: this subclass adds the header, the proxy and refusal capture. */
    class BandTransport extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { "x-api-key": key.reveal() }, ...(agent ? { agent } : {}), handshakeTimeout: 10_000 });
        this.on("unexpected-response", (_req, res: IncomingMessage) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8").slice(0, 2_000)));
          res.on("end", () => {
            record(readRefusal(res, body));
            this.terminate();
          });
        });
        this.on("error", (error) => log.debug("socket transport error", { error }));
      }
    }
    const reconnect = options.reconnect ?? { baseMs: 1_000, maxMs: 30_000 };
    this.#socket = new Socket(options.wsUrl, {
      transport: BandTransport as never,
      params: { agent_id: options.agentId, on_conflict: "reject" },
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
      timeout: 10_000,
      reconnectAfterMs: (tries: number) => {
        const retryAfter = this.#refusal?.retryAfterMs;
        const maxMs = this.#refusal?.status === 409 ? Math.min(reconnect.maxMs, options.standbyMaxMs ?? reconnect.maxMs) : reconnect.maxMs;
        return retryAfter ?? backoff(tries, reconnect.baseMs, maxMs);
      },
      rejoinAfterMs: (tries: number) => backoff(tries, reconnect.baseMs, reconnect.maxMs),
      decode: (raw: unknown, callback: (decoded: unknown) => void) => {
        const frame = typeof raw === "string" ? parseFrame(raw) : undefined;
        if (frame) callback(frame);
        else log.warn("skipped a malformed socket frame", { frame: String(raw).slice(0, 200) });
      },
    } as never);
    this.#socket.onOpen(() => {
      this.#opens++;
      this.#refusal = undefined;
      this.#conflictSince = undefined;
      options.handlers.onState("connected");
    });
    this.#socket.onClose((event: { code?: number; reason?: string }) => this.#onClose(event));
  }

  /** How many times the socket has opened (the first connection and every reconnect). */
  get opens(): number {
    return this.#opens;
  }

  get joinedCount(): number {
    return this.#joined.size;
  }

  isJoined(topic: string): boolean {
    return this.#joined.has(topic);
  }

  connect(): void {
    this.options.handlers.onState("connecting");
    this.#socket.connect();
  }

  /** Joins a topic (idempotent). phoenix rejoins it after every reconnect; onJoined fires each time. */
  join(topic: string, events: readonly string[]): void {
    if (this.#channels.has(topic) || this.#terminal) return;
    const channel = this.#socket.channel(topic, {});
    for (const event of events) channel.on(event, (payload: unknown) => this.options.handlers.onEvent(topic, event, payload));
    channel.onError(() => void this.#joined.delete(topic));
    channel.onClose(() => void this.#joined.delete(topic));
    this.#channels.set(topic, channel);
    channel
      .join()
      .receive("ok", () => {
        this.#joined.add(topic);
        this.options.handlers.onJoined(topic);
      })
      .receive("error", (reason: unknown) => {
        this.options.log.warn(`Band refused to join ${topic}`, { reason });
        // A refused join is not retried forever: the room is gone or we are not in it.
        this.leave(topic);
      })
      .receive("timeout", () => this.options.log.warn(`joining ${topic} timed out; phoenix will retry`));
  }

  leave(topic: string): void {
    const channel = this.#channels.get(topic);
    if (!channel) return;
    this.#channels.delete(topic);
    this.#joined.delete(topic);
    channel.leave();
  }

  /** A terminal stop: no reconnect (supersede, conflict, rejected key). */
  stop(state: SocketState, detail: string): void {
    if (this.#terminal) return;
    this.#terminal = true;
    this.#socket.disconnect();
    this.#joined.clear();
    this.options.handlers.onState(state, detail);
  }

  close(): Promise<void> {
    this.#terminal = true;
    this.#joined.clear();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 500);
      this.#socket.disconnect(() => {
        clearTimeout(timer);
        resolve();
      }, 1000, "client shutdown");
    });
  }

  /**
   * After our own reconnect, Band may still count our previous, half-dead socket as live until its 45 s idle
   * timeout, and refuse us with 409. So a 409 is terminal at once only before we ever connected.
   */
  #maybeOurOwnGhost(refusal: Refusal): boolean {
    if (refusal.status !== 409 || this.#opens === 0) return false;
    this.#conflictSince ??= Date.now();
    return Date.now() - this.#conflictSince < GHOST_WINDOW_MS;
  }

  #onClose(event: { code?: number; reason?: string }): void {
    this.#joined.clear();
    if (this.#terminal) return;
    const refusal = this.#refusal;
    const terminal = refusal ? TERMINAL[refusal.status] : undefined;
    if (terminal && !this.#maybeOurOwnGhost(refusal!)) {
      this.stop(terminal.state, `${terminal.detail} (HTTP ${refusal!.status})`);
      return;
    }
    const why = refusal ? `upgrade refused with HTTP ${refusal.status}${refusal.code ? ` ${refusal.code}` : ""}` : `closed (code ${event.code ?? "?"})`;
    this.options.log.info(`Band socket ${why}; reconnecting`);
    this.options.handlers.onState("connecting", why);
  }
}

function readRefusal(res: IncomingMessage, body: string): Refusal {
  let code: string | undefined;
  let retryAfterBody: number | undefined;
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; retry_after?: unknown } }).error;
    code = typeof error?.code === "string" ? error.code : undefined;
    retryAfterBody = typeof error?.retry_after === "number" ? error.retry_after : undefined;
  } catch {
    // A refusal without a JSON body: the status says enough.
  }
  const header = res.headers["retry-after"];
  const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header) ?? retryAfterBody;
  return { status: res.statusCode ?? 0, code, ...(retryAfter !== undefined ? { retryAfterMs: Math.min(retryAfter * 1000, 300_000) } : {}) };
}

/** phoenix's own decoder throws on anything but a 5-element array; a bad frame must be skipped, not crash. */
function parseFrame(raw: string): { join_ref: unknown; ref: unknown; topic: string; event: string; payload: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || parsed.length !== 5 || typeof parsed[2] !== "string" || typeof parsed[3] !== "string") return undefined;
    const [join_ref, ref, topic, event, payload] = parsed as [unknown, unknown, string, string, unknown];
    return { join_ref, ref, topic, event, payload };
  } catch {
    return undefined;
  }
}
