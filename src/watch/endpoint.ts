import { createHash } from "node:crypto";
import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where a server publishes its agent's inbox for `band-mcp-server watch`: a Unix domain socket in a folder only
 * this user can enter, named by a hash of the agent's key (the key itself never appears on disk, and two agents
 * never share a socket). No network port: nobody else on the machine can connect or listen there.
 */
export interface Endpoint {
  dir: string;
  path: string;
}

/** One JSON line from server to watcher. `hello` first, then one `message` per message that reached the inbox. */
export type WatchFrame =
  /** `channel`: the server pushes each message into its Claude Code session itself, so it sends no `message`. */
  | { type: "hello"; agent: { id: string; handle: string } | null; pid: number; channel: boolean }
  | { type: "message"; id: string; chat_id: string; chat_title?: string; sender: { handle?: string; name?: string; id: string }; content: string };

/** The folder is why the socket is private: it must be ours, a real folder (not a link) and closed to others. */
export class EndpointDirError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: "not-a-directory" | "not-owned" | "open-to-others",
  ) {
    super(`${dir}: ${reason}`);
    this.name = "EndpointDirError";
  }
}

/** `$XDG_RUNTIME_DIR/band-mcp-server` (per user by design), else a per-uid folder in the temp dir. */
export function endpointFor(agentKey: string, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const uid = process.getuid?.() ?? 0;
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "band-mcp-server") : join(tmpdir(), `band-mcp-server-${uid}`);
  const id = createHash("sha256").update(agentKey).digest("hex").slice(0, 24);
  return { dir, path: join(dir, `inbox-${id}.sock`) };
}

/** Creates the folder (0700) when missing, then checks it, whoever made it. Throws EndpointDirError. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

export function checkPrivateDir(dir: string): void {
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new EndpointDirError(dir, "not-a-directory");
  if (process.getuid && stat.uid !== process.getuid()) throw new EndpointDirError(dir, "not-owned");
  if ((stat.mode & 0o077) !== 0) throw new EndpointDirError(dir, "open-to-others");
}
