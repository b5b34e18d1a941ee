import type { Dispatcher } from "undici";
import { BandClient, createDispatcher, type RetryPolicy } from "./band/http.js";
import { Participants } from "./band/participants.js";
import type { Config } from "./config.js";
import type { LiveInbox } from "./inbox/live.js";
import type { Logger } from "./log.js";

/** The long-lived parts one process shares between all its MCP sessions. */
export interface App {
  config: Config;
  log: Logger;
  agent?: BandClient;
  user?: BandClient;
  agentKeyVariable: string;
  participants: Participants;
  live: LiveInbox | undefined;
  /** Starts the live connection, when there is one. Tools work without it. */
  start?(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Overrides the REST retry policy (tests use short delays). */
  retry?: RetryPolicy;
}

export function createApp(config: Config, log: Logger, options: AppOptions = {}): App {
  const dispatcher: Dispatcher = createDispatcher(config.proxy);
  const client = (key: NonNullable<Config["agentKey"]>) =>
    new BandClient({ baseUrl: config.baseUrl, key, dispatcher, log, ...(options.retry ? { retry: options.retry } : {}) });
  const agent = config.agentKey ? client(config.agentKey) : undefined;
  const user = config.userKey ? client(config.userKey) : undefined;
  return {
    config,
    log,
    agent,
    user,
    agentKeyVariable: config.agentKeyVariable ?? "BAND_API_KEY",
    participants: new Participants(agent),
    live: undefined,
    async close() {
      await dispatcher.close().catch(() => undefined);
    },
  };
}
