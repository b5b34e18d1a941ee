import { createDispatcher } from "../band/http.js";
import { createApp, type App, type AppOptions } from "../app.js";
import { DEFAULT_AGENT, forAgent, type Config } from "../config.js";
import { withPrefix, type Logger } from "../log.js";

/** Agents whose sockets are opening at the same time, at most. */
const STARTING_AT_ONCE = 16;
/** The longest one agent holds its start slot; a socket slower than that goes on connecting in the background. */
const START_SLOT_MS = 5_000;

/** Until the agent's socket is past "connecting" (connected, refused, standing by), or it is not opening one. */
function socketSettled(app: App): Promise<void> {
  const live = app.live;
  // Called on every status change while the hub starts: the cheap connection read first, one report at most.
  const opening = () => live !== undefined && live.connection === "connecting" && live.status().agent !== null;
  if (!opening()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, START_SLOT_MS);
    const unsubscribe = live!.onStatusChanged(() => !opening() && done());
  });
}

/**
 * The hub's agents: one App (REST clients, socket, inbox, claims) per configured key, by label. Each is
 * independent: one whose key Band rejects, or whose socket another process holds, leaves the others alone.
 */
export class AgentRegistry {
  readonly #apps: ReadonlyMap<string, App>;
  readonly #close: () => Promise<void>;

  private constructor(apps: ReadonlyMap<string, App>, close: () => Promise<void>) {
    this.#apps = apps;
    this.#close = close;
  }

  /** One App per configured agent, sharing one REST connection pool; with no agent key, one `default` App. */
  static create(config: Config, log: Logger, options: AppOptions = {}): AgentRegistry {
    if (config.agents.length <= 1) {
      const app = createApp(forAgent(config), log, options);
      return new AgentRegistry(new Map([[config.agents[0]?.label ?? DEFAULT_AGENT, app]]), () => app.close());
    }
    const dispatcher = options.dispatcher ?? createDispatcher(config.proxy);
    const apps = new Map(config.agents.map((a) => [a.label, createApp(forAgent(config, a.label), withPrefix(log, `[${a.label}]`), { ...options, dispatcher })]));
    return new AgentRegistry(apps, async () => {
      await Promise.all([...apps.values()].map((app) => app.close()));
      if (!options.dispatcher) await dispatcher.close().catch(() => undefined);
    });
  }

  /** A registry of one app already built (the app's owner closes it). */
  static of(app: App, label = DEFAULT_AGENT): AgentRegistry {
    return new AgentRegistry(new Map([[label, app]]), async () => undefined);
  }

  get labels(): string[] {
    return [...this.#apps.keys()];
  }

  get(label: string): App | undefined {
    return this.#apps.get(label);
  }

  entries(): [string, App][] {
    return [...this.#apps.entries()];
  }

  /**
   * Starts every agent, a few at a time: each start is an identity call and a socket upgrade with its joins, and
   * a thousand at once is a burst Band's rate limits (and any proxy's upgrade queue) would refuse. A failure is
   * that agent's state (its status says why), never the hub's.
   */
  async start(): Promise<void> {
    const queue = [...this.#apps.values()];
    const worker = async () => {
      for (let app = queue.shift(); app; app = queue.shift()) {
        await app.start().catch((error: unknown) => app.log.error("could not start", { error: String(error) }));
        await socketSettled(app);
      }
    };
    await Promise.all(Array.from({ length: Math.min(STARTING_AT_ONCE, queue.length) }, worker));
  }

  close(): Promise<void> {
    return this.#close();
  }
}
