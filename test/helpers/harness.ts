import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, beforeEach } from "vitest";
import { createApp, type App, type AppOptions } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { createMcpServer } from "../../src/mcp/server.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";

export interface Connected {
  client: Client;
  app: App;
  close(): Promise<void>;
}

/** Short retry delays so fault tests stay fast; the policy itself is what production uses. */
export const FAST_RETRY = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 };

/** Quick reconnects so socket tests stay fast. */
export const FAST_SOCKET = { heartbeatIntervalMs: 30_000, reconnect: { baseMs: 50, maxMs: 300 } };

/** Polls until the condition holds; fails with the message after the timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, message: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Until the app's live socket is connected and has joined at least `rooms` rooms. */
export async function untilJoined(app: App, rooms = 1): Promise<void> {
  await waitFor(async () => {
    const status = await app.status();
    return status.connection === "connected" && status.chats_joined >= rooms;
  }, "connected and joined");
}

/**
 * Our real server (createApp + createMcpServer) against the fake Band over real HTTP, reached by the SDK's
 * Client through an in-memory MCP transport. BAND_TOOLSETS=all and BAND_LIVE=false unless env says otherwise.
 */
export async function connectInMemory(fake: FakeBand, env: Record<string, string> = {}, options: AppOptions = {}): Promise<Connected> {
  const config = loadConfig({
    BAND_API_KEY: fake.agent.key,
    BAND_BASE_URL: fake.url,
    BAND_WS_URL: fake.wsUrl,
    BAND_TOOLSETS: "all",
    BAND_LIVE: "false",
    BAND_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    ...env,
  });
  const app = createApp(config, createLogger(config.logLevel), { retry: FAST_RETRY, socket: FAST_SOCKET, ...options });
  await app.start();
  const server = createMcpServer(app);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1.0.0" });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    app,
    async close() {
      await client.close();
      await server.close();
      await app.close();
    },
  };
}

export type Connect = (env?: Record<string, string>, options?: AppOptions) => Promise<Connected>;

/**
 * A fresh fake Band for every test of the file (handed to `onStart`), and a `connect` (connectInMemory on it)
 * whose servers are closed, with the fake, after each test.
 */
export function useFakeBand(onStart: (fake: FakeBand) => void): Connect {
  let fake: FakeBand | undefined;
  const open: Connected[] = [];
  beforeEach(async () => {
    fake = await startFakeBand();
    onStart(fake);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await fake?.close();
  });
  return async (env = {}, options = {}) => {
    const connected = await connectInMemory(fake!, env, options);
    open.push(connected);
    return connected;
  };
}

export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: Record<string, any> | undefined;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return {
    isError: result.isError === true,
    text: content.map((c) => c.text ?? "").join("\n"),
    structured: result.structuredContent as Record<string, any> | undefined,
  };
}
