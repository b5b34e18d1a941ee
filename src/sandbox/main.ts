/**
 * The sandbox: a local Band (band.ts) with the demo world, the web chat and the control API, on loopback.
 * Loaded only by `band-mcp-server sandbox` and `--sandbox` (cli.ts imports it lazily), so the plain server's
 * cold start never pays for it.
 */
import { startBand } from "./band.js";
import { controlRoutes, type Demo } from "./control.js";
import { seedDemo } from "./demo.js";
import { ChatFeed, type FeedOptions } from "./feed.js";

export const DEFAULT_SANDBOX_PORT = 8790;
/** Without an explicit port: the first free one of 8790…8809. */
const PORTS_TRIED = 20;
/** Enough for hours of chat; what bounds the memory of a sandbox left running. */
const MAX_MESSAGES = 20_000;

export interface Sandbox {
  /** BAND_BASE_URL for a server that speaks as the demo agent. */
  url: string;
  /** The web chat. */
  chatUrl: string;
  /** BAND_API_KEY of the demo agent. */
  agentKey: string;
  demo: Demo;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /**
   * Exactly this port (0: any free one); taken, the start fails with EADDRINUSE, never a silent move. Absent:
   * the first free port from 8790 on, or a `PortsTaken` error.
   */
  port?: number;
  feed?: FeedOptions;
  /** Default 20,000; past it new messages are refused with 507 `storage_full`. */
  maxMessages?: number;
}

/** Every port the sandbox tries without an explicit one is taken. */
export class PortsTaken extends Error {
  readonly code = "EADDRINUSE";
  constructor(
    readonly first: number,
    readonly last: number,
  ) {
    super(`ports ${first} to ${last} are all in use`);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  let feed: ChatFeed | undefined;
  let demo: Demo | undefined;
  const ports = options.port ?? Array.from({ length: PORTS_TRIED }, (_, i) => DEFAULT_SANDBOX_PORT + i);
  let band;
  try {
    band = await startBand({
      port: ports,
      // Runs for hours: keep no per-frame records.
      socket: { record: false },
      maxMessages: options.maxMessages ?? MAX_MESSAGES,
      extraRoutes: (store) => {
        demo = seedDemo(store);
        feed = new ChatFeed(store, options.feed);
        return controlRoutes(store, feed, demo);
      },
    });
  } catch (error) {
    feed?.close();
    if (options.port === undefined && (error as { code?: unknown }).code === "EADDRINUSE") throw new PortsTaken(DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_PORT + PORTS_TRIED - 1);
    throw error;
  }
  const world = demo!;
  return {
    url: band.url,
    chatUrl: `${band.url}/`,
    agentKey: world.agent.key,
    demo: world,
    async close() {
      feed?.close();
      await band.close();
    },
  };
}

/** The lines `band-mcp-server sandbox` prints: the two settings first, so the output can be sourced by a shell. */
export function describeSandbox(sandbox: Sandbox): string {
  const { agent, people } = sandbox.demo;
  return [
    `BAND_BASE_URL=${sandbox.url}`,
    `BAND_API_KEY=${sandbox.agentKey}`,
    `# Band sandbox running. Chat in your browser: ${sandbox.chatUrl}`,
    `# Demo agent: ${agent.name} (@${agent.handle}). People: ${people.map((p) => `${p.name} (@${p.handle})`).join(", ")}.`,
    `# Connect an MCP host with the two settings above, or run \`band-mcp-server --sandbox\` for both in one process.`,
    `# Control API for scripts: ${sandbox.url}/sandbox/api/world. Ctrl-C stops the sandbox.`,
    "",
  ].join("\n");
}
