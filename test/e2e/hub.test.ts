import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "node:http";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type Actor, type FakeBand } from "../fake-band/index.js";
import { addAgentInRoom, fakeBandEnv } from "../helpers/fake-env.js";
import { connectInMemory, untilJoined, waitFor, type Connected } from "../helpers/harness.js";
import { CLI, connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";
import { answerNextMessage } from "../helpers/peer.js";

/**
 * One hub process, four agents: `default` and `second` live, `bad` with a key Band rejects, `held` whose socket
 * another process already holds (conflict). Built at run time so no key- or token-shaped literal is committed.
 */
const GLOBAL = `global-${"g".repeat(24)}`;
const SECOND_TOKEN = `second-${"s".repeat(24)}`;
const JWT_SECRET = "j".repeat(40);
const REJECTED_KEY = `band_a_${"r".repeat(24)}`;

let fake: FakeBand;
let second: Actor;
let held: Actor;
let holder: Connected;
let hub: RunningServer;
const clients: Client[] = [];

const jwt = (claims: Record<string, unknown>, secret = JWT_SECRET, expiresIn: string | number = "5m") =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));

async function get(path: string, token?: string): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(`${hub.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

async function post(path: string, body: unknown, token: string | undefined = GLOBAL): Promise<{ status: number; body: any }> {
  const response = await fetch(`${hub.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function mcp(path: string, token = GLOBAL): Promise<Client> {
  const { client } = await connectHttp(`${hub.base}${path}`, token);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  fake = await startFakeBand();
  second = addAgentInRoom(fake, "Second", "alice/second");
  held = addAgentInRoom(fake, "Held", "alice/held");
  holder = await connectInMemory(fake, { BAND_LIVE: "true", BAND_API_KEY: held.key });
  await untilJoined(holder.app);
  hub = await spawnHttpServer(
    fakeBandEnv(fake, {
      BAND_API_KEY: fake.agent.key,
      BAND_API_KEY_SECOND: second.key,
      BAND_API_KEY_BAD: REJECTED_KEY,
      BAND_API_KEY_HELD: held.key,
      BAND_MCP_HTTP_TOKEN: GLOBAL,
      BAND_MCP_HTTP_TOKEN_SECOND: SECOND_TOKEN,
      BAND_MCP_HTTP_JWT_SECRET: JWT_SECRET,
    }),
  );
  await waitFor(async () => {
    const agents = (await get("/agents", GLOBAL)).body as { label: string; connection: string }[];
    const state = Object.fromEntries(agents.map((a) => [a.label, a.connection]));
    return state.default === "connected" && state.second === "connected" && state.bad === "unauthorized" && state.held === "conflict";
  }, "every agent in its state", 10_000);
  await waitFor(() => fake.socket.isJoined(second.id, `chat_room:${fake.room.id}`) && fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "rooms joined");
});

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  hub?.child.kill("SIGKILL");
  await hub?.exited;
  await holder?.close();
  await fake?.close();
});

describe("the hub: several agents in one process", () => {
  it("lists its agents and reports hub and per-agent health, never a key", async () => {
    const agents = await get("/agents", GLOBAL);
    expect(agents.status).toBe(200);
    expect(agents.body).toEqual([
      { label: "default", agent: { id: fake.agent.id, name: fake.agent.name, handle: fake.agent.handle }, connection: "connected", sessions: expect.any(Number), inbox: { pending: 0, in_flight: 0 } },
      { label: "bad", agent: null, connection: "unauthorized", sessions: 0, inbox: { pending: 0, in_flight: 0 } },
      { label: "held", agent: { id: held.id, name: "Held", handle: "alice/held" }, connection: "conflict", sessions: 0, inbox: { pending: 0, in_flight: 0 } },
      { label: "second", agent: { id: second.id, name: "Second", handle: "alice/second" }, connection: "connected", sessions: expect.any(Number), inbox: expect.any(Object) },
    ]);
    const health = await get("/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, agentConnected: false, agents: { total: 4, connected: 2 } });
    expect(health.body).not.toHaveProperty("connection");
    expect(await get("/agents/second/health")).toMatchObject({ status: 200, body: { ok: true, agentConnected: true, connection: "connected" } });
    expect(await get("/agents/bad/health")).toMatchObject({ status: 503, body: { ok: false, connection: "unauthorized" } });
    expect(await get("/agents/held/health")).toMatchObject({ status: 503, body: { ok: false, connection: "conflict" } });
    const unknown = await get("/agents/nobody/health");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/default, bad, held, second/);
    for (const text of [agents.text, health.text, unknown.text]) {
      for (const secret of [fake.agent.key, second.key, held.key, REJECTED_KEY, GLOBAL, SECOND_TOKEN, JWT_SECRET]) expect(text).not.toContain(secret);
    }
  });

  it("keeps each agent's inbox its own, with MCP sessions on two agents at once", async () => {
    const [first, other] = [await mcp("/mcp"), await mcp("/agents/second/mcp", SECOND_TOKEN)];
    expect((await first.callTool({ name: "band_get_me", arguments: {} })).structuredContent).toMatchObject({ id: fake.agent.id });
    expect((await other.callTool({ name: "band_get_me", arguments: {} })).structuredContent).toMatchObject({ id: second.id });
    const waits = [
      first.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 1 } }),
      other.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } }),
    ];
    await new Promise((r) => setTimeout(r, 100));
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "only for the second agent", mentions: [second.id] });
    const [forFirst, forSecond] = (await Promise.all(waits)).map((r) => r.structuredContent as { messages: { id: string }[]; timed_out: boolean });
    expect(forFirst).toMatchObject({ messages: [], timed_out: true });
    expect(forSecond!.messages.map((m) => m.id)).toEqual([sent.id]);
    await other.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    expect(fake.delivery(sent.id, second.id).status).toBe("processed");
    // The agent in conflict still serves REST tools; its inbox says why it is off.
    const heldClient = await mcp("/agents/held/mcp");
    expect((await heldClient.callTool({ name: "band_get_me", arguments: {} })).structuredContent).toMatchObject({ id: held.id });
    const off = await heldClient.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 1 } });
    expect(off.isError).toBe(true);
    // The agent whose key Band rejects names its own variable.
    const bad = await mcp("/agents/bad/mcp");
    expect((await bad.callTool({ name: "band_status", arguments: {} })).structuredContent).toMatchObject({ connection: "unauthorized", detail: expect.stringContaining("BAND_API_KEY_BAD") });
    const badWait = await bad.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 1 } });
    expect(JSON.stringify(badWait.content)).toContain("BAND_API_KEY_BAD");
  });

  it("authenticates with the global token, a per-agent token or a JWT, and says which header to send", async () => {
    const none = await get("/agents");
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Authorization: Bearer <token>/);
    expect((await get("/agents", "wrong-token")).status).toBe(401);
    // A per-agent token reaches its agent only.
    expect((await get("/agents", SECOND_TOKEN)).body.map((a: { label: string }) => a.label)).toEqual(["second"]);
    const other = await get(`/agents/default/chats/${fake.room.id}/transcript`, SECOND_TOKEN);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(/not for agent "default"/);
    expect((await post("/mcp", { jsonrpc: "2.0", id: 1, method: "ping" }, SECOND_TOKEN)).status).toBe(403);
    expect((await get(`/agents/second/chats/${fake.room.id}/transcript`, SECOND_TOKEN)).status).toBe(200);

    // A session belongs to the endpoint that opened it: its id is unknown on another agent's.
    const { client: own, transport } = await connectHttp(`${hub.base}/mcp`, GLOBAL);
    clients.push(own);
    const elsewhere = await fetch(`${hub.base}/agents/second/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${GLOBAL}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": transport.sessionId!, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "band_get_me", arguments: {} } }),
    });
    expect(elsewhere.status).toBe(404);

    const narrow = await jwt({ sub: "billing-service", agents: ["second"] });
    expect((await get(`/agents/second/chats/${fake.room.id}/transcript`, narrow)).status).toBe(200);
    expect((await get(`/agents/default/chats/${fake.room.id}/transcript`, narrow)).status).toBe(403);
    expect((await get(`/agents/default/chats/${fake.room.id}/transcript`, await jwt({ sub: "ops" }))).status).toBe(200);

    const expired = await get("/agents", await jwt({ sub: "late" }, JWT_SECRET, Math.floor(Date.now() / 1000) - 60));
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    const forged = await get("/agents", await jwt({ sub: "forger" }, "f".repeat(40)));
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toMatch(/signature/);
    const noExp = await new SignJWT({ sub: "forever" }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(JWT_SECRET));
    expect((await get("/agents", noExp)).body.error.message).toMatch(/"exp"/);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "nobody", exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    const refused = await get("/agents", unsigned);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/Authorization: Bearer/);
  });

  it("sends fire-and-forget (202), mentioning everyone else when mentions are omitted", async () => {
    const named = await post("/agents/default/messages", { chat_id: fake.room.id, content: "build is green", mentions: ["@alice/reviewer"] });
    expect(named).toMatchObject({ status: 202, body: { ok: true, message_id: expect.any(String) } });
    const stored = fake.messages(fake.room.id).find((m) => m.id === named.body.message_id)!;
    expect(stored.sender_id).toBe(fake.agent.id);
    expect(stored.content).toContain("build is green");
    const everyone = await post("/agents/second/messages", { chat_id: fake.room.id, content: "hello all" }, SECOND_TOKEN);
    expect(everyone.status).toBe(202);
    const mentioned = (fake.messages(fake.room.id).find((m) => m.id === everyone.body.message_id)!.metadata as { mentions: { id: string }[] }).mentions.map((m) => m.id);
    expect(mentioned.sort()).toEqual([fake.agent.id, fake.peer.id, fake.user.id, held.id].sort());
  });

  it("sends synchronously: the first reply from someone mentioned, consumed and marked processed", async () => {
    const peer = answerNextMessage(fake, { content: "approved" });
    const answered = await post("/agents/default/messages/sync", { chat_id: fake.room.id, content: "may I deploy?", mentions: ["alice/reviewer"], timeout_seconds: 10 });
    expect(answered.status).toBe(200);
    const reply = await peer.answered;
    expect(answered.body).toMatchObject({ timed_out: false, message_id: expect.any(String), reply: { id: reply.id, sender: { id: fake.peer.id }, content: expect.stringContaining("approved") } });
    await waitFor(() => fake.delivery(reply.id, fake.agent.id).status === "processed", "the reply is marked processed");

    const silent = await post("/agents/default/messages/sync", { chat_id: fake.room.id, content: "anyone?", mentions: ["alice/reviewer"], timeout_seconds: 1 });
    expect(silent).toMatchObject({ status: 200, body: { reply: null, timed_out: true, message_id: expect.any(String) } });
  });

  it("gives a sync send's reply back to the inbox when its caller hangs up", async () => {
    const listener = await mcp("/mcp");
    await new Promise<void>((resolve, reject) => {
      const req = request(`${hub.base}/agents/default/messages/sync`, { method: "POST", headers: { authorization: `Bearer ${GLOBAL}`, "content-type": "application/json" } });
      req.on("error", () => undefined);
      req.end(JSON.stringify({ chat_id: fake.room.id, content: "long question", mentions: ["alice/reviewer"], timeout_seconds: 60 }));
      // Hang up once the question is on Band (the sync send is then waiting for the reply).
      const started = Date.now();
      const poll = setInterval(() => {
        if (fake.messages(fake.room.id).some((m) => m.content.includes("long question"))) {
          clearInterval(poll);
          req.destroy();
          resolve();
        } else if (Date.now() - started > 5_000) reject(new Error("the question never reached Band"));
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 100));
    const late = fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "late answer", mentions: [fake.agent.id] });
    // The second agent's "hello all" (an earlier test) also waits in this inbox.
    const got = await listener.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5, chat_id: fake.room.id } });
    const ids = (got.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id);
    expect(ids).toContain(late.id);
    for (const id of ids) await listener.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: id } });
    expect(fake.delivery(late.id, fake.agent.id).status).toBe("processed");
  });

  it("answers bad input and unusable agents with the status that says what to fix", async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ["/agents/default/messages", "{not json", 400, /not JSON/],
      ["/agents/default/messages", { content: "no chat" }, 400, /chat_id/],
      ["/agents/default/messages", { chat_id: fake.room.id, content: "  " }, 400, /content/],
      ["/agents/default/messages", { chat_id: fake.room.id, content: "hi", mentions: ["@nobody-here"] }, 400, /not in this room[\s\S]*alice\/reviewer/],
      ["/agents/default/messages", { chat_id: fake.room.id, content: "x".repeat(300_000) }, 413, /over/],
      ["/agents/default/messages/sync", { chat_id: fake.room.id, content: "hi", mentions: ["alice/reviewer"], timeout_seconds: 301 }, 400, /timeout_seconds/],
      ["/agents/held/messages/sync", { chat_id: fake.room.id, content: "hi", mentions: ["alice/reviewer"] }, 409, /conflict/],
      ["/agents/bad/messages", { chat_id: fake.room.id, content: "hi", mentions: ["alice/reviewer"] }, 503, /key/],
      ["/agents/bad/messages/sync", { chat_id: fake.room.id, content: "hi", mentions: ["alice/reviewer"] }, 503, /key/],
      ["/agents/nobody/messages", { chat_id: fake.room.id, content: "hi" }, 404, /default, bad, held, second/],
    ];
    for (const [path, body, status, message] of cases) {
      const answer = await post(path, body);
      expect(answer.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(status);
      expect(answer.body.error.message).toMatch(message);
    }
    const unknownChat = await post("/agents/default/messages", { chat_id: "00000000-0000-4000-8000-000000000000", content: "hi", mentions: ["alice/reviewer"] });
    expect(unknownChat.status).toBe(404);
  });

  it("replays a chat's transcript oldest first, with each sender's role", async () => {
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "transcript check", mentions: [fake.agent.id] });
    const answer = await get(`/agents/default/chats/${fake.room.id}/transcript`, GLOBAL);
    expect(answer.status).toBe(200);
    expect(answer.body.chat_id).toBe(fake.room.id);
    const messages = answer.body.messages as { id: string; role: string; sender: { id: string }; content: string; created_at: string }[];
    const roleOf = (senderId: string) => messages.find((m) => m.sender.id === senderId)?.role;
    expect(roleOf(fake.agent.id)).toBe("self");
    expect(roleOf(fake.user.id)).toBe("user");
    expect(roleOf(fake.peer.id)).toBe("agent");
    const times = messages.map((m) => m.created_at);
    expect([...times].sort()).toEqual(times);
    expect(messages.at(-1)!.content).toContain("transcript check");
  });

  it("serves one of the agents over stdio with --agent <label>", async () => {
    const env = { PATH: process.env.PATH ?? "", BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn", BAND_LIVE: "false", BAND_API_KEY_SECOND: second.key, BAND_API_KEY_OTHER: held.key };
    const client = new Client({ name: "e2e-stdio", version: "1.0.0" });
    clients.push(client);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "--agent", "second"], env, stderr: "pipe" }));
    expect((await client.callTool({ name: "band_get_me", arguments: {} })).structuredContent).toMatchObject({ id: second.id });
  });
});
