import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { waitFor } from "./harness.js";

const CLI = join(import.meta.dirname, "../../dist/cli.js");

export interface SandboxSession {
  client: Client;
  /** The web chat, as printed on stderr. */
  chatUrl: string;
  stderr(): string;
}

/** Every folder sandboxDir() made in this process; one exit listener removes them all (a worker runs many files). */
const madeDirs = new Set<string>();

/** A fresh BAND_SANDBOX_DIR, removed when the test process ends: spawned sandboxes never share a world. */
export function sandboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "band-sandbox-"));
  if (madeDirs.size === 0) process.once("exit", () => madeDirs.forEach((made) => rmSync(made, { recursive: true, force: true })));
  madeDirs.add(dir);
  return dir;
}

/** `band-mcp-server --sandbox` over stdio with the SDK's client; no key in its environment unless `env` adds one. */
export async function spawnSandboxServer(env: Record<string, string> = {}): Promise<SandboxSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "--sandbox", "--port", "0"],
    env: { PATH: process.env.PATH ?? "", BAND_LOG_LEVEL: "warn", BAND_SANDBOX_DIR: sandboxDir(), ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: "sandbox-e2e", version: "1.0.0" });
  await client.connect(transport);
  await waitFor(() => /sandbox chat at (\S+)/.test(stderr), "the chat address on stderr");
  return { client, chatUrl: /sandbox chat at (\S+)/.exec(stderr)![1]!, stderr: () => stderr };
}

export async function controlApi(chatUrl: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(new URL(`sandbox/api${path}`, chatUrl), {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The sandbox's event stream (`GET /sandbox/api/events`), parsed into the returned list as events arrive. */
export function sandboxEvents(baseUrl: string, signal: AbortSignal): { event: string; data: any }[] {
  const received: { event: string; data: any }[] = [];
  void fetch(`${baseUrl}/sandbox/api/events`, { signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
        }
      }
    })
    .catch(() => undefined);
  return received;
}
