/**
 * The sandbox: a local Band (band.ts) with the demo world, the web chat and the control API, on loopback.
 * Loaded only by `band-mcp-server sandbox` and `--sandbox` (cli.ts imports it lazily), so the plain server's
 * cold start never pays for it.
 */
import { startBand } from "./band.js";
import { AgentControls } from "./agent-control.js";
import { controlRoutes } from "./control.js";
import type { Demo } from "./demo.js";
import { ChatFeed, type FeedOptions } from "./feed.js";
import { Presence } from "./presence.js";
import { openWorld, saveOnChange, type WorldStorage } from "./world-file.js";

export { sandboxDir } from "./world-file.js";

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
  /** Where the world is kept between runs, and what happened to the last one. */
  storage: WorldStorage;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /**
   * Exactly this port (0: any free one); taken, the start fails with EADDRINUSE, never a silent move. Absent:
   * the first free port from 8790 on, or a `PortsTaken` error.
   */
  port?: number;
  /** The folder that keeps the world between runs (`sandboxDir()`); absent, the world lives in memory only. */
  dir?: string;
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
  let kept: ReturnType<typeof openWorld> | undefined;
  let saver: ReturnType<typeof saveOnChange> | undefined;
  const ports = options.port ?? Array.from({ length: PORTS_TRIED }, (_, i) => DEFAULT_SANDBOX_PORT + i);
  const presence = new Presence();
  let band;
  try {
    band = await startBand({
      port: ports,
      // Runs for hours: keep no per-frame records.
      socket: { record: false, onConnection: (agentId, connected) => presence.set(agentId, connected) },
      maxMessages: options.maxMessages ?? MAX_MESSAGES,
      extraRoutes: (store, socket) => {
        kept = openWorld(store, options.dir);
        saver = saveOnChange(store, kept);
        const live = (feed = new ChatFeed(store, presence, options.feed));
        const controls = new AgentControls(socket.push.bind(socket), (agentId, paused) => live.announce("control", { agent_id: agentId, paused }));
        const storage = kept.storage;
        return controlRoutes({ store, feed, demo: kept.demo, presence, controls, kept: () => ({ storage, problem: saver?.problem() }) });
      },
    });
  } catch (error) {
    feed?.close();
    saver?.close();
    if (options.port === undefined && (error as { code?: unknown }).code === "EADDRINUSE") throw new PortsTaken(DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_PORT + PORTS_TRIED - 1);
    throw error;
  }
  const world = kept!;
  return {
    url: band.url,
    chatUrl: `${band.url}/`,
    agentKey: world.demo.agent.key,
    demo: world.demo,
    storage: world.storage,
    async close() {
      feed?.close();
      await band.close();
      saver?.close();
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
    ...describeStorage(sandbox.storage).map((line) => `# ${line}`),
    `# Demo agent: ${agent.name} (@${agent.handle}). People: ${people.map((p) => `${p.name} (@${p.handle})`).join(", ")}.`,
    `# Connect an MCP host with the two settings above, or run \`band-mcp-server --sandbox\` for both in one process.`,
    `# Control API for scripts: ${sandbox.url}/sandbox/api/world. Ctrl-C stops the sandbox.`,
    "",
  ].join("\n");
}

/** What a person should know about where the world is kept: one line, two when the last one was set aside. */
export function describeStorage(storage: WorldStorage): string[] {
  switch (storage.kind) {
    case "memory":
      return ["The world lives in memory only: it ends with this process."];
    case "busy":
      return [`Another sandbox (pid ${storage.holderPid}) keeps its world in ${storage.dir}: this one's world is temporary (set BAND_SANDBOX_DIR to keep it elsewhere).`];
    case "file":
      return [
        ...(storage.setAside ? [`The saved world could not be read (${storage.setAside.reason}): it was moved to ${storage.setAside.file}, and a new world started.`] : []),
        `World ${storage.restored ? "restored from" : "kept in"} ${storage.file} (BAND_SANDBOX_DIR; delete the file for a clean slate).`,
      ];
  }
}
