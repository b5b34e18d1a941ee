import { chmodSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { App } from "../app.js";
import type { InboxMessage } from "../inbox/live.js";
import type { LiveService } from "../inbox/service.js";
import { join } from "node:path";
import type { Logger } from "../log.js";
import { EndpointDirError, endpointFor, ensurePrivateDir, type Endpoint, type WatchFrame } from "./endpoint.js";

const MAX_WATCHERS = 16;
/** A watcher this far behind is cut off (it reconnects and catches up from the pending list). */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Pending messages sent to a watcher as it connects (after a server restart, the drain may precede it). */
const PENDING_ON_CONNECT = 100;
/** A watcher prints 200 characters; a little more lets it mark the cut. */
const CONTENT_CHARS = 400;
/** While connected to Band but another process still holds the endpoint, try again this often. */
const RETRY_MS = 2_000;

/**
 * Publishes one agent's inbox on its local endpoint (endpoint.ts) for `band-mcp-server watch`, while this
 * process holds the agent's Band connection: a standby server of the same agent (guarantee 5) leaves the
 * endpoint to the one that serves, and takes it over with the Band socket. Watchers only listen.
 */
export class InboxPublisher {
  readonly #watchers = new Set<Socket>();
  readonly #detach: (() => void)[];
  #server: Server | undefined;
  #claiming = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly live: LiveService,
    private readonly endpoint: Endpoint,
    private readonly log: Logger,
    /** Channel mode: messages go into the session as pushes, and a monitor line would only repeat them. */
    private readonly channel: boolean,
  ) {
    this.#detach = [live.onStatusChanged(() => this.#follow())];
    if (!channel) this.#detach.push(live.onArrival((message) => this.#watchers.size > 0 && this.#broadcast(frameOf(message))));
    this.#follow();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const off of this.#detach) off();
    await this.#release();
  }

  // Status changes come with every claim and mark: only the connection matters here, read without a whole report.
  #follow(): void {
    const { connection } = this.live;
    if (connection === "connected") {
      if (!this.#server) void this.#claim();
    } else if (connection === "conflict" || connection === "unauthorized") void this.#release();
  }

  async #claim(): Promise<void> {
    if (this.#server || this.#claiming || this.#closed) return;
    this.#claiming = true;
    try {
      ensurePrivateDir(this.endpoint.dir);
      this.#server = await this.#listen();
      this.log.debug("inbox published for band-mcp-server watch", { path: this.endpoint.path });
      sweepOnce(this.endpoint);
    } catch (error) {
      if (error instanceof EndpointDirError) return this.log.warn(`band-mcp-server watch cannot follow this server: ${describeDirProblem(error)}`);
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") return this.log.warn("band-mcp-server watch cannot follow this server", { error: String(error) });
      // Left by a process that died (nobody answers): ours to take. Held by a live one: try again later.
      if (!(await answers(this.endpoint.path))) {
        unlinkQuietly(this.endpoint.path);
        this.#schedule(0);
      } else this.#schedule(RETRY_MS);
    } finally {
      this.#claiming = false;
    }
  }

  #schedule(ms: number): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#follow(), ms);
    this.#retry.unref();
  }

  #listen(): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.#welcome(socket));
      server.once("error", reject);
      server.listen(this.endpoint.path, () => {
        server.off("error", reject);
        server.on("error", (error) => this.log.warn("watch endpoint failed", { error: String(error) }));
        // The folder is already closed to others; the socket itself is too.
        chmodSync(this.endpoint.path, 0o600);
        resolve(server);
      });
    });
  }

  #welcome(socket: Socket): void {
    if (this.#watchers.size >= MAX_WATCHERS) return void socket.destroy();
    socket.on("error", () => undefined);
    socket.on("close", () => this.#watchers.delete(socket));
    socket.resume();
    this.#watchers.add(socket);
    const { agent } = this.live.status();
    const hello: WatchFrame = { type: "hello", agent: agent && { id: agent.id, handle: agent.handle }, pid: process.pid, channel: this.channel };
    socket.write(lineOf(hello));
    if (this.channel) return;
    for (const message of this.live.inbox.peek().slice(0, PENDING_ON_CONNECT)) socket.write(lineOf(frameOf(message)));
  }

  #broadcast(frame: WatchFrame): void {
    const line = lineOf(frame);
    for (const socket of this.#watchers) {
      if (socket.writableLength > MAX_BUFFERED_BYTES) socket.destroy();
      else socket.write(line);
    }
  }

  async #release(): Promise<void> {
    clearTimeout(this.#retry);
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const socket of this.#watchers) socket.destroy();
    this.#watchers.clear();
    // Closing a Unix socket server removes its file, so a successor can listen at once.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The agent's publisher, when it has a live inbox; undefined otherwise (BAND_LIVE=false, no agent key). */
export function publishInbox(app: App): InboxPublisher | undefined {
  if (!app.live || !app.config.agentKey) return undefined;
  return new InboxPublisher(app.live, endpointFor(app.config.agentKey.reveal()), app.log, app.config.channel);
}

export function describeDirProblem(error: EndpointDirError): string {
  const why = { "not-a-directory": "is not a folder", "not-owned": "belongs to another user", "open-to-others": "is open to other users (it must be mode 0700)" }[error.reason];
  return `${error.dir} ${why}; remove it, and it is made again as it should be`;
}

function frameOf(message: InboxMessage): WatchFrame {
  const { id, chat_id, chat_title, sender } = message;
  const content = message.content.length > CONTENT_CHARS ? message.content.slice(0, CONTENT_CHARS) : message.content;
  return { type: "message", id, chat_id, ...(chat_title ? { chat_title } : {}), sender: { id: sender.id, ...(sender.handle ? { handle: sender.handle } : {}), ...(sender.name ? { name: sender.name } : {}) }, content };
}

const lineOf = (frame: WatchFrame) => `${JSON.stringify(frame)}\n`;

/** Whether a live process listens at the path. */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/** A socket this old that nobody answers was left by a process that died (SIGKILL, a crash): removed. */
const STALE_AFTER_MS = 60_000;

/**
 * The folders this process has tidied. Once each: a hub publishes every agent's inbox, and a sweep per agent
 * was quadratic (1,000 agents restarted after a SIGKILL left their 1,000 files: a million stat calls and
 * connection attempts, and the hub took 30 s instead of 8 to have every agent joined).
 */
const swept = new Set<string>();

function sweepOnce(own: Endpoint): void {
  if (swept.has(own.dir)) return;
  swept.add(own.dir);
  void sweepStale(own);
}

/** Tidies the folder when taking an endpoint, so crashed servers' files do not pile up. */
async function sweepStale(own: Endpoint): Promise<void> {
  try {
    for (const name of readdirSync(own.dir)) {
      const path = join(own.dir, name);
      if (path === own.path || !/^inbox-[0-9a-f]+\.sock$/.test(name)) continue;
      const mtimeMs = mtimeOf(path);
      if (mtimeMs === undefined || Date.now() - mtimeMs <= STALE_AFTER_MS || (await answers(path))) continue;
      // Not if a process took the path meanwhile: its socket file is a new one.
      if (mtimeOf(path) === mtimeMs) unlinkQuietly(path);
    }
  } catch {
    // Only tidying: a file that vanished meanwhile, or a folder we cannot read, changes nothing.
  }
}

/** undefined: the file is gone (another process tidied it first). */
function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: someone else cleaned up first.
  }
}
