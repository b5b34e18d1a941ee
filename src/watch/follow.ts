import { readdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { backoff, sleep } from "../backoff.js";
import { checkPrivateDir, type Endpoint, type WatchFrame } from "./endpoint.js";

/** A frame longer than this is not ours: the connection is dropped. */
const MAX_LINE_BYTES = 64 * 1024;

export type FollowEvent =
  | { type: "following"; agent: { id: string; handle: string } | null; pid: number; channel: boolean }
  | { type: "lost" }
  /** Nothing to follow yet: no server publishes (`none`), or several do and no key says which (`several`). */
  | { type: "waiting"; why: "none" | "several"; handles?: string[] }
  | { type: "unsafe"; error: unknown };

export interface FollowOptions {
  /** The agent's endpoint; without one (no key configured), the only one published in `dir`. */
  endpoint: Endpoint | { dir: string };
  signal: AbortSignal;
  onMessage(frame: Extract<WatchFrame, { type: "message" }>): void;
  onEvent(event: FollowEvent): void;
  retry?: { baseMs: number; maxMs: number };
}

/**
 * Follows a server's published inbox until the signal aborts: connects, hands on each message frame, and when
 * the server goes away (a restart, a standby taking over) connects again with capped backoff.
 */
export async function followInbox(options: FollowOptions): Promise<void> {
  const { baseMs, maxMs } = options.retry ?? { baseMs: 250, maxMs: 5_000 };
  let attempt = 0;
  let lastWait = "";
  while (!options.signal.aborted) {
    const target = await findTarget(options);
    if (typeof target === "string") {
      lastWait = "";
      if (await session(target, options)) attempt = 0;
    } else if (target && JSON.stringify(target) !== lastWait) {
      lastWait = JSON.stringify(target);
      options.onEvent(target);
    }
    attempt++;
    await sleep(backoff(attempt, baseMs, maxMs), options.signal).catch(() => undefined);
  }
}

async function findTarget(options: FollowOptions): Promise<string | FollowEvent | undefined> {
  const { dir } = options.endpoint;
  try {
    checkPrivateDir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { type: "waiting", why: "none" };
    return { type: "unsafe", error };
  }
  if ("path" in options.endpoint) return options.endpoint.path;
  const published = readdirSync(dir).filter((name) => /^inbox-[0-9a-f]+\.sock$/.test(name));
  const live = (await Promise.all(published.map(async (name) => ({ path: join(dir, name), hello: await helloOf(join(dir, name)) })))).filter((p) => p.hello);
  if (live.length === 1) return live[0]!.path;
  if (live.length === 0) return { type: "waiting", why: "none" };
  return { type: "waiting", why: "several", handles: live.map((p) => p.hello!.agent?.handle ?? "?").sort() };
}

/** The hello of the server at `path`, or undefined when none answers. */
function helloOf(path: string): Promise<Extract<WatchFrame, { type: "hello" }> | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => socket.destroy(), 1_000);
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf("\n");
      if (end < 0 && buffer.length < MAX_LINE_BYTES) return;
      const frame = end < 0 ? undefined : parse(buffer.slice(0, end));
      socket.destroy();
      resolve(frame?.type === "hello" ? frame : undefined);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/** One connection: resolves when it ends, with whether it got as far as the server's hello. */
function session(path: string, options: FollowOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let greeted = false;
    let buffer = "";
    const stop = () => socket.destroy();
    options.signal.addEventListener("abort", stop, { once: true });
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n")) >= 0) {
        const frame = parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        if (frame?.type === "hello") {
          greeted = true;
          options.onEvent({ type: "following", agent: frame.agent, pid: frame.pid, channel: frame.channel === true });
        } else if (frame?.type === "message" && greeted) options.onMessage(frame);
      }
      if (buffer.length > MAX_LINE_BYTES) socket.destroy();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      options.signal.removeEventListener("abort", stop);
      if (greeted && !options.signal.aborted) options.onEvent({ type: "lost" });
      resolve(greeted);
    });
  });
}

function parse(line: string): WatchFrame | undefined {
  try {
    const frame = JSON.parse(line) as WatchFrame;
    if (frame?.type === "hello") return frame;
    if (frame?.type === "message" && typeof frame.id === "string" && typeof frame.content === "string" && typeof frame.chat_id === "string" && frame.sender && typeof frame.sender.id === "string") return frame;
  } catch {
    // Not a frame: skipped.
  }
  return undefined;
}
