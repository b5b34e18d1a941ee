import type { Agent as HttpAgent } from "node:http";
import { backoff, sleep } from "../backoff.js";
import { BandApiError, type BandClient } from "../band/http.js";
import type { Secret } from "../config.js";
import type { Logger } from "../log.js";
import { parseBandEvent, type BandEvent } from "../realtime/events.js";
import { BandSocket, type SocketState } from "../realtime/socket.js";
import { parseTopic, TOPIC_EVENTS, topics, type TopicKind } from "../realtime/topics.js";
import type { CoreEvents } from "./events.js";
import type { ConnectionState, LinkProblem } from "./live.js";
import { Standby, type StandbyState } from "./standby.js";

export interface LinkOptions {
  band: BandClient;
  wsUrl: string;
  key: Secret;
  /** The setting that holds the key (BAND_API_KEY, or BAND_API_KEY_<LABEL> for a hub's agent), reported when Band rejects it. */
  keyVariable: string;
  log: Logger;
  socketAgent?: HttpAgent;
  heartbeatIntervalMs?: number;
  reconnect: { baseMs: number; maxMs: number };
  /** Longest wait between attempts to take the socket while another process holds it (BAND_STANDBY_SECONDS). */
  standbyMaxMs: number;
  closed: AbortSignal;
  /** Where the link says what happens: connection states, topics joined, and Band's events, typed. */
  events: CoreEvents;
}

const DEFAULT_SUPERSEDE_RETRY_S = 5;

/**
 * Who we are on Band and our one socket to it: identifies the agent (retrying while Band is unreachable),
 * opens the socket, keeps the topics we want joined across sockets, and turns frames into typed events on the
 * core's event line.
 * While another process holds the agent's socket it stands by (docs/delivery.md guarantee 5): a fresh socket with
 * on_conflict=reject now and then, until one is accepted; a supersede lands in the same standby.
 */
export class BandLink {
  agent: { id: string; name: string; handle: string } | null = null;
  connection: ConnectionState = "connecting";
  detail: string | undefined;
  /** Band rejected the key, or has not answered yet: the facts, for the layers above to word. */
  problem: LinkProblem | undefined;
  /** When the last frame arrived (ms); formatted only when read, not once per frame. */
  #lastEventMs = 0;

  get lastEventAt(): string | null {
    return this.#lastEventMs ? new Date(this.#lastEventMs).toISOString() : null;
  }
  #socket: BandSocket | undefined;
  /** Times earlier sockets (replaced by a standby's attempts) opened: every open after the very first is a reconnect. */
  #earlierOpens = 0;
  readonly #topics = new Map<string, readonly string[]>();
  readonly #standby: Standby;
  /** A supersede's retry_after, for the standby it starts. */
  #retryAfterMs = 0;

  constructor(private readonly options: LinkOptions) {
    this.#standby = new Standby({ baseMs: options.reconnect.baseMs, maxMs: options.standbyMaxMs }, () => this.#retake());
  }

  /** Standing by for the socket: attempts so far and the next one's time; undefined unless in conflict. */
  get standby(): StandbyState | undefined {
    return this.connection === "conflict" ? this.#standby.state : undefined;
  }

  get reconnects(): number {
    const opens = this.#earlierOpens + (this.#socket?.opens ?? 0);
    return Math.max(0, opens - 1);
  }

  isJoined(kind: TopicKind, id: string): boolean {
    return this.#socket?.isJoined(topics[kind](id)) ?? false;
  }

  /** Resolves once the agent is known and the socket is connecting; an unreachable Band is retried in the background. */
  async start(): Promise<void> {
    const first = await this.#identify();
    if (first === "ok") return this.#openSocket();
    if (first === "fatal") return;
    // The server (and its REST tools) must not wait for Band.
    void (async () => {
      for (let attempt = 1; !this.options.closed.aborted; attempt++) {
        await sleep(backoff(attempt, this.options.reconnect.baseMs, this.options.reconnect.maxMs), this.options.closed).catch(() => undefined);
        if (this.options.closed.aborted) return;
        const outcome = await this.#identify();
        if (outcome === "ok") return this.#openSocket();
        if (outcome === "fatal") return;
      }
    })();
  }

  /** Learns who we are (topics are named by agent id); a rejected key is final, anything else is retried. */
  async #identify(): Promise<"ok" | "retry" | "fatal"> {
    try {
      const { data } = await this.options.band.call("getAgentMe", { signal: this.options.closed });
      this.agent = { id: data.id, name: data.name, handle: data.handle };
      return "ok";
    } catch (error) {
      if (error instanceof BandApiError && (error.status === 401 || error.status === 403)) {
        this.setState("unauthorized", undefined, { reason: "key_rejected", http_status: error.status, key_variable: this.options.keyVariable });
        return "fatal";
      }
      this.setState("connecting", undefined, { reason: "band_unreachable", error: error instanceof Error ? error.message : String(error) });
      return "retry";
    }
  }

  #openSocket(): void {
    if (this.options.closed.aborted || !this.agent) return;
    const { options } = this;
    const agentId = this.agent.id;
    this.#socket = new BandSocket({
      wsUrl: options.wsUrl,
      key: options.key,
      agentId,
      log: options.log,
      ...(options.socketAgent ? { agent: options.socketAgent } : {}),
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
      reconnect: options.reconnect,
      standbyMaxMs: options.standbyMaxMs,
      handlers: {
        onState: (state, detail) => this.#onSocketState(state, detail),
        onJoined: (topic) => {
          const parsed = parseTopic(topic);
          if (parsed) options.events.emit({ type: "joined", kind: parsed.kind, id: parsed.id });
        },
        onEvent: (topic, event, payload) => this.#onEvent(topic, event, payload),
      },
    });
    this.join("control", agentId);
    this.join("agentRooms", agentId);
    this.join("contacts", agentId);
    for (const [topic, events] of this.#topics) this.#socket.join(topic, events);
    this.#socket.connect();
  }

  /** Joins a topic on this socket and on any that replaces it. */
  join(kind: TopicKind, id: string): void {
    const topic = topics[kind](id);
    this.#topics.set(topic, TOPIC_EVENTS[kind]);
    this.#socket?.join(topic, TOPIC_EVENTS[kind]);
  }

  leave(kind: TopicKind, id: string): void {
    const topic = topics[kind](id);
    this.#topics.delete(topic);
    this.#socket?.leave(topic);
  }

  async close(): Promise<void> {
    this.#standby.reset();
    await this.#socket?.close();
  }

  setState(state: ConnectionState, detail?: string, problem?: LinkProblem): void {
    if (this.connection === state && this.detail === detail && JSON.stringify(this.problem) === JSON.stringify(problem)) return;
    this.connection = state;
    this.detail = detail;
    this.problem = problem;
    this.options.events.emit({ type: "connection", state });
  }

  #onSocketState(state: SocketState, detail?: string): void {
    // A standby's attempt opens a fresh socket: that is still standing by, not a new "connecting", until Band
    // either takes it (connected) or refuses it again (conflict). Without this the state flickers on every attempt.
    if (state === "connecting" && this.connection === "conflict") return;
    if (state === "unauthorized") this.options.log.warn(`inbox off: ${detail}`);
    if (state === "connected") this.#standby.reset();
    if (state === "conflict" && !this.options.closed.aborted) {
      const delay = this.#standby.schedule(this.#retryAfterMs);
      this.#retryAfterMs = 0;
      this.options.log.warn(`standing by: ${detail}; trying again in ${Math.ceil(delay / 1000)} s, never superseding it`);
    }
    this.setState(state, state === "connected" ? undefined : detail);
  }

  /** A standby attempt: the refused socket is replaced by a fresh one (on_conflict=reject), topics and all. */
  #retake(): void {
    if (this.options.closed.aborted || !this.#socket) return;
    this.#earlierOpens += this.#socket.opens;
    void this.#socket.close();
    this.#openSocket();
  }

  #onEvent(topic: string, event: string, payload: unknown): void {
    this.#lastEventMs = Date.now();
    const where = parseTopic(topic);
    if (!where) return;
    const parsed = parseBandEvent(where.kind, where.id, event, payload);
    if (!parsed.ok) return this.options.log.warn(`skipped an invalid ${event} event on ${topic.split(":")[0]}`, { issue: parsed.issue });
    const typed = parsed.event;
    if (typed.type === "supersede") this.#superseded(typed);
    else if (typed.type === "ignored") this.options.log.debug(`ignored ${event} on ${where.kind}`);
    else this.options.events.emit(typed);
  }

  /**
   * Band gave our connection to a newer one: we stand by like after a refused socket, first trying again after
   * `retry_after` (retryable or not: with on_conflict=reject a try can only be refused, never take the socket back).
   */
  #superseded(event: Extract<BandEvent, { type: "supersede" }>): void {
    this.#retryAfterMs = (event.retryAfterSeconds ?? DEFAULT_SUPERSEDE_RETRY_S) * 1000;
    this.#socket?.stop("conflict", `superseded by a newer connection for this agent (${event.reason})`);
  }
}
