import { createMCPClient } from "@ai-sdk/mcp";
import { Experimental_StdioMCPTransport } from "@ai-sdk/mcp/mcp-stdio";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { waitFor } from "../helpers/harness.js";
import { CLI, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * Issue 9: the built server driven by third-party MCP clients that run on Node 20, over stdio and HTTP. They
 * catch what our own SDK client never will (their own schema handling, result shapes and cancellation).
 * Each client is reduced to the four things a host does: list tools, call one, wait for a message, give up a wait.
 */
interface Driver {
  tools(): Promise<string[]>;
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, any>>;
  close(): Promise<void>;
  /** What the client reported as errors outside any call (a message it did not expect, say). */
  stray: unknown[];
}

let fake: FakeBand;
let server: RunningServer | undefined;
let driver: Driver | undefined;

/** A short visibility timeout: a wait whose answer a client threw away comes back (guarantee 13). */
const CLAIM_TIMEOUT_SECONDS = 2;
const env = (): Record<string, string> => ({
  PATH: process.env.PATH ?? "",
  BAND_API_KEY: fake.agent.key,
  BAND_BASE_URL: fake.url,
  BAND_WS_URL: fake.wsUrl,
  BAND_LOG_LEVEL: "warn",
  BAND_CLAIM_TIMEOUT_SECONDS: String(CLAIM_TIMEOUT_SECONDS),
});

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  await driver?.close().catch(() => undefined);
  server?.child.kill();
  await server?.exited;
  await fake.close();
  driver = server = undefined;
});

/** The JSON a tool result carries, whatever shape the client hands back (structured, content blocks or text). */
function jsonOf(result: unknown): Record<string, any> {
  if (typeof result === "string") return JSON.parse(result);
  if (Array.isArray(result)) return jsonOf(result.find((b) => b?.type === "text")?.text ?? "{}");
  const r = result as { structuredContent?: Record<string, any>; content?: unknown };
  return r.structuredContent ?? jsonOf(r.content);
}

async function aiSdk(transport: "stdio" | "http"): Promise<Driver> {
  const stray: unknown[] = [];
  const client = await createMCPClient({
    onUncaughtError: (error) => void stray.push(error),
    transport: transport === "stdio" ? new Experimental_StdioMCPTransport({ command: process.execPath, args: [CLI], env: env() }) : { type: "http", url: server!.url },
  });
  return {
    tools: async () => (await client.listTools()).tools.map((t) => t.name),
    call: async (name, args, signal) => {
      const tools = await client.tools();
      return jsonOf(await tools[name]!.execute(args, { toolCallId: "call-1", messages: [], ...(signal ? { abortSignal: signal } : {}) }));
    },
    close: () => client.close(),
    stray,
  };
}

/**
 * LangChain's MCP client is not a dependency: it brings ~60 MB of LangChain for this one test. `.ci/run` installs
 * it, pinned, into a throwaway folder named by LANGCHAIN_PREFIX and sets REQUIRE_LANGCHAIN_INTEROP, so there it
 * runs; elsewhere it is skipped with a warning. Imported through a one-line module in that folder, so that Node
 * resolves it (and its own MCP SDK) from there.
 */
interface LangChainTool {
  name: string;
  invoke(args: Record<string, unknown>, options: { signal?: AbortSignal }): Promise<unknown>;
}
interface LangChainModule {
  MultiServerMCPClient: new (options: Record<string, unknown>) => { getTools(): Promise<LangChainTool[]>; close(): Promise<void> };
}
/** The module, or why it cannot be had. */
async function loadLangChain(): Promise<LangChainModule | string> {
  const prefix = process.env.LANGCHAIN_PREFIX;
  if (!prefix) return "LANGCHAIN_PREFIX is unset (set it to a folder where @langchain/mcp-adapters is installed; .ci/run does, pinned)";
  const entry = join(prefix, "langchain-mcp-adapters.mjs");
  try {
    writeFileSync(entry, 'export * from "@langchain/mcp-adapters";\n');
    return (await import(pathToFileURL(entry).href)) as LangChainModule;
  } catch (error) {
    return `@langchain/mcp-adapters does not load from LANGCHAIN_PREFIX=${prefix} (${String(error)})`;
  }
}
const loaded = await loadLangChain();
if (typeof loaded === "string" && process.env.REQUIRE_LANGCHAIN_INTEROP) throw new Error(`REQUIRE_LANGCHAIN_INTEROP is set but ${loaded}`);
if (typeof loaded === "string") console.warn(`LangChain interop skipped: ${loaded}`);
const langChainModule = typeof loaded === "string" ? undefined : loaded;

async function langChain(transport: "stdio" | "http"): Promise<Driver> {
  const connection = transport === "stdio" ? { transport: "stdio" as const, command: process.execPath, args: [CLI], env: env() } : { transport: "http" as const, url: server!.url };
  const client = new langChainModule!.MultiServerMCPClient({ mcpServers: { band: connection }, prefixToolNameWithServerName: false, useStandardContentBlocks: false });
  const tools = await client.getTools();
  return {
    tools: async () => tools.map((t) => t.name),
    call: async (name, args, signal) => jsonOf(await tools.find((t) => t.name === name)!.invoke(args, signal ? { signal } : {})),
    close: () => client.close(),
    stray: [],
  };
}

const CLIENTS = { "@ai-sdk/mcp": aiSdk, "@langchain/mcp-adapters": langChain } as const;

/** Over HTTP each client closes the request it gives up, so the server knows; over stdio only LangChain (the SDK) says so. */
const TELLS_THE_SERVER: Record<string, boolean> = {
  "@ai-sdk/mcp stdio": false,
  "@ai-sdk/mcp http": true,
  "@langchain/mcp-adapters stdio": true,
  "@langchain/mcp-adapters http": true,
};

describe.each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])("%s", (name) => {
  it.skipIf(name === "@langchain/mcp-adapters" && !langChainModule).each(["stdio", "http"] as const)("over %s: lists tools, calls band_status, receives a pushed mention, gives up a wait", async (transport) => {
    if (transport === "http") server = await spawnHttpServer(env());
    driver = await CLIENTS[name](transport);
    const client = driver;

    expect(await client.tools()).toEqual(expect.arrayContaining(["band_status", "band_wait_for_message", "band_send_message"]));
    await waitFor(async () => {
      const status = await client.call("band_status", {});
      return status.connection === "connected" && status.chats_joined >= 1;
    }, "connected and joined");

    const first = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "hello from a person", mentions: [fake.agent.id] });
    const waited = await client.call("band_wait_for_message", { timeout_seconds: 5 });
    expect(waited.messages.map((m: { id: string }) => m.id)).toEqual([first.id]);
    expect((await client.call("band_mark_processed", { chat_id: fake.room.id, message_id: first.id })).status).toBe("processed");

    // Give up a wait the way this client does, then let a message arrive.
    const abandon = new AbortController();
    const abandoned = client.call("band_wait_for_message", { timeout_seconds: 3 }, abandon.signal).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 200));
    abandon.abort(new Error("the host gave up"));
    expect(await abandoned).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 200));
    const second = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "are you there?", mentions: [fake.agent.id] });
    const tells = TELLS_THE_SERVER[`${name} ${transport}`];
    const next = await client.call("band_wait_for_message", { timeout_seconds: tells ? 5 : 1 });
    if (tells) {
      expect(next.messages.map((m: { id: string }) => m.id)).toEqual([second.id]);
    } else {
      // The client drops the request without notifications/cancelled: the server still holds the wait, hands it
      // the message (claimed on Band, in flight), and that answer goes nowhere. band_get_inbox lists it as in
      // flight, until the claim timeout puts it back: the next wait gets it as a redelivery.
      expect(next.messages.map((m: { id: string }) => m.id)).not.toContain(second.id);
      const inbox = await client.call("band_get_inbox", {});
      expect(inbox.in_flight.map((m: { id: string }) => m.id)).toContain(second.id);
      expect(inbox.pending).toBe(0);
      const redelivered = await client.call("band_wait_for_message", { timeout_seconds: CLAIM_TIMEOUT_SECONDS + 3 });
      expect(redelivered.messages).toEqual([expect.objectContaining({ id: second.id, attempt: 2 })]);
    }
    // A notification the client has no use for (resources/list_changed for rooms joined before it ever listed).
    expect(client.stray.map(String).filter((e) => e.includes("Unsupported message type"))).toEqual([]);
  }, 30_000);
});
