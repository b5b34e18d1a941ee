import { spawn } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { waitFor } from "../helpers/harness.js";

const CLI = join(import.meta.dirname, "../../dist/cli.js");
let fake: FakeBand;
const clients: Client[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    BAND_API_KEY: fake.agent.key,
    BAND_BASE_URL: fake.url,
    BAND_WS_URL: fake.wsUrl,
    BAND_LOG_LEVEL: "warn",
    ...extra,
  };
}

/** The built bin over stdio with the SDK's client, exactly as Claude Desktop runs it. */
async function spawnClient(extra: Record<string, string> = {}): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: env(extra), stderr: "pipe" });
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function waitConnected(client: Client): Promise<void> {
  await waitFor(async () => {
    const status = (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string; chats_joined: number };
    return status.connection === "connected" && status.chats_joined >= 1;
  }, "server connected to the fake Band");
}

function runCli(args: string[], extraEnv: Record<string, string>, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: extraEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    if (stdin !== undefined) child.stdin.end(stdin);
  });
}

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  await fake.close();
});

describe("the built server over stdio", () => {
  it("initializes, lists the default tools and resources, and calls a Band tool", async () => {
    const { client } = await spawnClient();
    expect(client.getServerVersion()?.name).toBe("band-mcp-server");
    expect(client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    expect(tools.length).toBeLessThanOrEqual(25);
    expect(tools.map((t) => t.name)).toContain("band_wait_for_message");
    const me = await client.callTool({ name: "band_get_me", arguments: {} });
    expect(me.structuredContent).toMatchObject({ id: fake.agent.id, handle: fake.agent.handle });
    const prompt = await client.getPrompt({ name: "band_agent_loop" });
    expect(JSON.stringify(prompt.messages)).toContain("band_wait_for_message");
  });

  it("receives a pushed mention through band_wait_for_message", async () => {
    const { client } = await spawnClient();
    await waitConnected(client);
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "hello agent", mentions: [fake.agent.id] });
    const result = await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    const messages = (result.structuredContent as { messages: { id: string; content: string }[] }).messages;
    expect(messages.map((m) => m.id)).toEqual([sent.id]);
  });

  it("redelivers a claimed but unacknowledged message after a crash (kill -9)", async () => {
    const first = await spawnClient();
    await waitConnected(first.client);
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "survive the crash", mentions: [fake.agent.id] });
    await first.client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).status === "processing", "claimed");
    process.kill(first.transport.pid!, "SIGKILL");
    await waitFor(() => !fake.socket.connectedAgents().includes(fake.agent.id), "old socket gone");

    const second = await spawnClient();
    const result = await second.client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 10 } });
    const messages = (result.structuredContent as { messages: { id: string }[] }).messages;
    expect(messages.map((m) => m.id)).toEqual([sent.id]);
    await second.client.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
  });

  it("exits 1 before starting when the key is missing, naming the variable", async () => {
    const { code, stdout, stderr } = await runCli([], { PATH: process.env.PATH ?? "" }, "");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/BAND_API_KEY is not set/);
  });

  it("exits 2 on unknown flags, listing each, with usage", async () => {
    const { code, stderr } = await runCli(["--nope", "--constructor", "--port"], env());
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --nope/);
    expect(stderr).toMatch(/unknown option --constructor/);
    expect(stderr).toMatch(/Usage:/);
  });

  it("writes only JSON-RPC to stdout and exits within 2 s of stdin closing, socket and all", async () => {
    const init = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    const child = spawn(process.execPath, [CLI], { env: env({ BAND_LOG_LEVEL: "debug" }), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.stdin.write(`${init}\n`);
    await waitFor(() => fake.socket.connectedAgents().includes(fake.agent.id), "socket connected");
    const closedAt = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    expect(stdout.trim(), "the initialize answer on stdout").not.toBe("");
    const lines = stdout.trim().split("\n");
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    expect(stderr).toContain("ready on stdio");
    expect(stderr).not.toContain(fake.agent.key);
  });

  it("sends nothing before the client's notifications/initialized, then notices as usual", async () => {
    const child = spawn(process.execPath, [CLI], { env: env(), stdio: ["pipe", "pipe", "pipe"] });
    const received: { id?: number; method?: string }[] = [];
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) if (line.trim()) received.push(JSON.parse(line));
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    try {
      send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "strict", version: "1" } } });
      await waitFor(() => received.some((m) => m.id === 1), "initialize answered");
      await waitFor(() => fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "joined the seeded room");
      // A room appearing now changes the resource list: a server that does not wait would announce it at once.
      const room = fake.createRoom({ title: "Before initialized", ownerId: fake.user.id, memberIds: [fake.agent.id] });
      await waitFor(() => fake.socket.isJoined(fake.agent.id, `chat_room:${room.id}`), "joined the new room");
      await new Promise((r) => setTimeout(r, 100));
      expect(received.filter((m) => m.id !== 1)).toEqual([]);
      send({ method: "notifications/initialized" });
      send({ id: 2, method: "resources/list" });
      await waitFor(() => received.some((m) => m.id === 2), "resources listed");
      fake.createRoom({ title: "After initialized", ownerId: fake.user.id, memberIds: [fake.agent.id] });
      await waitFor(() => received.some((m) => m.method === "notifications/resources/list_changed"), "list_changed after initialized");
    } finally {
      child.kill();
    }
  });

  it("says why and exits within 2 s when a stdin line is over the transport's 10 MB limit", async () => {
    const child = spawn(process.execPath, [CLI], { env: env({ BAND_LOG_LEVEL: "info" }), stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    await waitFor(() => stderr.includes("ready on stdio"), "server ready");
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const written = new Promise<void>((resolve) => child.stdin.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${"x".repeat(11 * 1024 * 1024)}"}}\n`, () => resolve()));
    child.stdin.on("error", () => undefined);
    await Promise.race([written, exited]);
    const sentAt = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(stderr).toMatch(/ERROR band-mcp: stdin can no longer be read: .*maximum size/);
  });

  it("exits within 2 s on SIGTERM", async () => {
    const { transport, client } = await spawnClient();
    await waitConnected(client);
    const child = (transport as unknown as { _process: import("node:child_process").ChildProcess })._process;
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const started = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("prints the version and help", async () => {
    const version = await runCli(["--version"], env());
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(["--help"], env());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("BAND_API_KEY");
  });
});
