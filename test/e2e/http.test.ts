import { request } from "node:http";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { waitFor } from "../helpers/harness.js";
import { connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";
import { answerNextMessage } from "../helpers/peer.js";

const TOKEN = "test-token-0123456789abcdef";
let fake: FakeBand;
const servers: RunningServer[] = [];
const clients: Client[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn", ...extra };
}

async function start(extra: Record<string, string> = {}, args: string[] = []): Promise<RunningServer> {
  const server = await spawnHttpServer(env(extra), args);
  servers.push(server);
  return server;
}

async function client(server: RunningServer, token?: string): Promise<Client> {
  const { client: c } = await connectHttp(server.url, token);
  clients.push(c);
  return c;
}

async function health(server: RunningServer): Promise<{ status: number; body: Record<string, any>; text: string }> {
  const response = await fetch(`${server.base}/health`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

async function joined(server: RunningServer): Promise<void> {
  await waitFor(async () => (await health(server)).status === 200 && fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "server live on the fake Band");
}

type Structured = { messages: { id: string }[]; timed_out: boolean };
const wait = async (c: Client, timeout_seconds: number) =>
  (await c.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds } })).structuredContent as Structured;

/** A raw request, for headers fetch will not let a caller set (Host). */
function raw(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const s of servers.splice(0)) {
    s.child.kill("SIGKILL");
    await s.exited;
  }
  await fake.close();
});

describe("HTTP mode (the built bin, the SDK's Streamable HTTP client)", () => {
  it("serves several sessions from one Band connection; one message goes to exactly one waiting session", async () => {
    const server = await start();
    const [a, b] = [await client(server), await client(server)];
    await joined(server);
    expect(fake.socket.connectedAgents().filter((id) => id === fake.agent.id)).toHaveLength(1);
    const waits = [wait(a, 3), wait(b, 3)];
    await new Promise((r) => setTimeout(r, 200));
    const sent = post("for exactly one of you");
    const results = await Promise.all(waits);
    const received = results.flatMap((r) => r.messages.map((m) => m.id));
    expect(received).toEqual([sent.id]);
    expect(results.filter((r) => r.timed_out)).toHaveLength(1);
    expect((await health(server)).body).toMatchObject({ ok: true, agentConnected: true, sessions: 2, inbox: { pending: 0, in_flight: 1 } });
  });

  it("fans resource notifications out to every subscribed session", async () => {
    const server = await start();
    const sessions = [await client(server), await client(server), await client(server)];
    await joined(server);
    const updates = sessions.map(() => [] as string[]);
    sessions.forEach((c, i) => c.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates[i]!.push(n.params.uri)));
    await sessions[0]!.subscribeResource({ uri: "band://inbox" });
    await sessions[1]!.subscribeResource({ uri: "band://inbox" });
    post("news for subscribers");
    await waitFor(() => updates[0]!.includes("band://inbox") && updates[1]!.includes("band://inbox"), "both subscribers notified");
    expect(updates[2]).toEqual([]);
  });

  it("a closed session's unacknowledged message goes to another session", async () => {
    const server = await start();
    const { client: a, transport: aTransport } = await connectHttp(server.url);
    const b = await client(server);
    await joined(server);
    const sent = post("hand me on");
    expect((await wait(a, 5)).messages.map((m) => m.id)).toEqual([sent.id]);
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).status === "processing", "claimed");
    const bWait = wait(b, 10);
    await new Promise((r) => setTimeout(r, 200));
    await aTransport.terminateSession();
    await a.close();
    expect((await bWait).messages.map((m) => m.id)).toEqual([sent.id]);
    await b.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
    await waitFor(async () => (await health(server)).body.sessions === 1, "closed session gone from /health");
  });

  it("requires the bearer token on /mcp (401 JSON) but not on /health", async () => {
    const server = await start({ BAND_MCP_HTTP_TOKEN: TOKEN });
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`]) {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(authorization ? { authorization } : {}) },
        body: INIT,
      });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/json");
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/BAND_MCP_HTTP_TOKEN/);
    }
    await expect(connectHttp(server.url)).rejects.toThrow();
    const c = await client(server, TOKEN);
    const me = await c.callTool({ name: "band_get_me", arguments: {} });
    expect(me.structuredContent).toMatchObject({ id: fake.agent.id });
    await joined(server);
    const healthy = await health(server);
    expect(healthy.status).toBe(200);
    expect(healthy.text).not.toContain(TOKEN);
    expect(healthy.text).not.toContain(fake.agent.key);
  });

  it("refuses other hosts' names and origins on loopback (DNS rebinding)", async () => {
    const server = await start();
    expect((await raw(server.url, { host: "evil.example:80" }, INIT)).status).toBe(403);
    expect((await raw(server.url, { origin: "http://evil.example" }, INIT)).status).toBe(403);
    const local = await raw(server.url, { origin: "http://localhost:6274" }, INIT);
    expect(local.status).toBe(200);
  });

  it("refuses to start on a non-loopback host without a token", async () => {
    await expect(start({}, ["--host", "0.0.0.0"])).rejects.toThrow(/exited with 1[\s\S]*BAND_MCP_HTTP_TOKEN/);
  });

  it("/health turns 503 when the Band socket is down, and 200 when it is back", async () => {
    const server = await start();
    await joined(server);
    // Three refused reconnects, a second apart (Retry-After), keep the socket down for about three seconds.
    fake.socket.refuseUpgrades(503, { count: 3, retryAfter: 1 });
    fake.socket.drop(fake.agent.id);
    await waitFor(async () => (await health(server)).status === 503, "health reports the outage");
    const down = await health(server);
    expect(down.body).toMatchObject({ ok: false, agentConnected: false, sessions: 0, inbox: { pending: 0, in_flight: 0 } });
    expect(down.text).not.toContain(fake.agent.key);
    await waitFor(async () => (await health(server)).status === 200, "health recovers", 15_000);
  });

  it("band_send_and_wait gets the peer's answer, and times out normally when none comes", async () => {
    const server = await start();
    const c = await client(server);
    await joined(server);
    const peer = answerNextMessage(fake, { content: "42" });
    const answered = await c.callTool({ name: "band_send_and_wait", arguments: { chat_id: fake.room.id, content: "the answer?", mentions: ["@alice/reviewer"], timeout_seconds: 10 } });
    expect(answered.isError).toBeFalsy();
    expect(answered.structuredContent).toMatchObject({ timed_out: false, reply: { id: (await peer.answered).id, sender: { id: fake.peer.id } } });

    const silent = await c.callTool({ name: "band_send_and_wait", arguments: { chat_id: fake.room.id, content: "still there?", mentions: ["@alice/reviewer"], timeout_seconds: 1 } });
    expect(silent.isError).toBeFalsy();
    expect(silent.structuredContent).toMatchObject({ reply: null, timed_out: true });
    const sentIds = fake.messages(fake.room.id).filter((m) => m.sender_id === fake.agent.id).map((m) => m.id);
    expect(sentIds).toContain((silent.structuredContent as { message_id: string }).message_id);
  });

  it("on SIGTERM answers a pending sync send (503, maybe_sent) and a pending wait (empty), keeps a claimed message for the next process, and exits within 2 s", async () => {
    const server = await start();
    const c = await client(server);
    await joined(server);
    const claimed = post("claimed, never answered");
    expect((await wait(c, 5)).messages.map((m) => m.id)).toEqual([claimed.id]);
    const pendingWait = c.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 30 } });
    const pendingSync = fetch(`${server.base}/agents/default/messages/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: fake.room.id, content: "asked before the shutdown", mentions: [fake.peer.id], timeout_seconds: 60 }),
    });
    await waitFor(() => fake.messages(fake.room.id).some((m) => m.content.includes("asked before the shutdown")), "the sync send's question is on Band");
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    server.child.kill("SIGTERM");
    const sync = await pendingSync;
    expect(sync.status).toBe(503);
    const question = fake.messages(fake.room.id).find((m) => m.content.includes("asked before the shutdown"))!;
    expect(await sync.json()).toEqual({ error: { code: "shutting_down", message: expect.stringContaining("was sent"), maybe_sent: true, message_id: question.id } });
    expect((await pendingWait).structuredContent).toMatchObject({ messages: [], timed_out: false });
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Claimed and never settled: still unprocessed on Band, so the next process delivers it again.
    expect(fake.delivery(claimed.id, fake.agent.id).status).toBe("processing");
    const next = await start();
    const again = await client(next);
    await joined(next);
    expect((await wait(again, 5)).messages.map((m) => m.id)).toContain(claimed.id);
  });

  it("exits within 2 s on SIGTERM, releasing a session's pending wait", async () => {
    const server = await start();
    const c = await client(server);
    await joined(server);
    const pending = c.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 30 } });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    // The released wait answered before the connection closed: the client is not left hanging.
    expect((await pending).structuredContent).toMatchObject({ messages: [], timed_out: false });
    await waitFor(() => !fake.socket.connectedAgents().includes(fake.agent.id), "socket closed");
  });
});
