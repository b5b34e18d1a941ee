import type { Dispatcher } from "undici";
import { BandApiError, BandClient, createDispatcher, type BandClientOptions, type RetryPolicy } from "./band/http.js";
import { Participants } from "./band/participants.js";
import { socketProxyAgent } from "./band/proxy.js";
import { secretsOf, type Config } from "./config.js";
import { secretRedactor, type Redact } from "./redact.js";
import type { LinkProblem, StatusReport } from "./inbox/live.js";
import { LiveService } from "./inbox/service.js";
import { reportFirstContact } from "./first-contact.js";
import type { Logger } from "./log.js";
import { VERSION } from "./version.js";

/** The long-lived parts one process shares between all its MCP sessions. */
export interface App {
  config: Config;
  log: Logger;
  agent?: BandClient;
  user?: BandClient;
  agentKeyVariable: string;
  participants: Participants;
  /** Masks every configured secret: applied to everything that leaves the process (results, errors, resources). */
  redact: Redact;
  /** The live inbox; undefined when BAND_LIVE=false or there is no agent key. */
  live: LiveService | undefined;
  status(): Promise<StatusReport>;
  /** Starts the live connection, when there is one. Tools work without it. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Overrides the REST retry policy (tests use short delays). */
  retry?: RetryPolicy;
  /** Overrides socket timing (tests use short heartbeats and reconnect delays). */
  socket?: { heartbeatIntervalMs?: number; reconnect?: { baseMs: number; maxMs: number } };
  /** How often a blocked wait reports progress (tests use a short tick). */
  tickMs?: number;
  /** Between two rooms of an idle resync sweep (tests use a short pace; the default is the cost bound, 1 s). */
  resyncPaceMs?: number;
  /** A connection pool shared with other apps (the hub's agents); its owner closes it, not this app. */
  dispatcher?: Dispatcher;
}

export function createApp(config: Config, log: Logger, options: AppOptions = {}): App {
  const dispatcher: Dispatcher = options.dispatcher ?? createDispatcher(config.proxy);
  const client = (key: NonNullable<Config["agentKey"]>, onSuccess?: BandClientOptions["onSuccess"]) =>
    new BandClient({ baseUrl: config.baseUrl, key, dispatcher, log, ...(options.retry ? { retry: options.retry } : {}), ...(onSuccess ? { onSuccess } : {}) });
  // Every send, event and activity report on the agent's key, whatever made it (tools, hub REST, the channel).
  const agent = config.agentKey ? client(config.agentKey, (operation, path) => live?.noteCall(operation, path)) : undefined;
  const user = config.userKey ? client(config.userKey) : undefined;
  const participants = new Participants(agent);
  const live =
    config.live && agent && config.agentKey
      ? new LiveService({
          band: agent,
          participants,
          wsUrl: config.wsUrl,
          key: config.agentKey,
          keyVariable: config.agentKeyVariable,
          capacity: config.inboxCapacity,
          maxBytes: config.inboxMaxBytes,
          log,
          version: VERSION,
          socketAgent: socketProxyAgent(config.wsUrl, config.proxy),
          delivery: config.delivery,
          ...options.socket,
          ...(options.tickMs ? { tickMs: options.tickMs } : {}),
          ...(options.resyncPaceMs ? { resyncPaceMs: options.resyncPaceMs } : {}),
        })
      : undefined;

  let stopReport: (() => void) | undefined;
  return {
    config,
    log,
    agent,
    user,
    agentKeyVariable: config.agentKeyVariable,
    participants,
    redact: secretRedactor(secretsOf(config)),
    live,
    status: () => (live ? Promise.resolve(live.status()) : disabledStatus(agent, config.agentKeyVariable)),
    async start() {
      if (live) stopReport = reportFirstContact(live, log, config.baseUrl);
      await live?.start();
    },
    async close() {
      stopReport?.();
      await live?.close();
      if (!options.dispatcher) await dispatcher.close().catch(() => undefined);
    },
  };
}

/** With BAND_LIVE=false there is no socket; the status still proves the key works. */
async function disabledStatus(agent: BandClient | undefined, keyVariable: string): Promise<StatusReport> {
  const base: StatusReport = {
    ok: true,
    agent: null,
    connection: "disabled",
    chats_joined: 0,
    inbox: { pending: 0, in_flight: 0, delivered_total: 0, dropped: 0 },
    reconnects: 0,
    last_event_at: null,
    version: VERSION,
    detail: "BAND_LIVE=false: tools only, no socket and no inbox",
  };
  if (!agent) return { ...base, detail: "no agent key: only the human toolset is available" };
  try {
    const { data } = await agent.call("getAgentMe");
    return { ...base, agent: { id: data.id, name: data.name, handle: data.handle } };
  } catch (error) {
    const rejected = error instanceof BandApiError && (error.status === 401 || error.status === 403);
    const problem: LinkProblem = rejected ? { reason: "key_rejected", http_status: error.status, key_variable: keyVariable } : { reason: "band_unreachable", error: String(error) };
    return { ...base, ok: false, problem };
  }
}
