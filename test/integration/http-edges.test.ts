import { request, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DRAIN_LIMITS } from "../../src/http/io.js";
import { startHttpServer, type HttpHandle } from "../../src/http/server.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { connectInMemory, untilJoined, waitFor, type Connected } from "../helpers/harness.js";
import { connectHttp } from "../helpers/http-server.js";

const TOKEN = "edge-token-0123456789abcdef";
let fake: FakeBand;
let app: Connected;
let http: HttpHandle;
const clients: Client[] = [];

const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const auth = { authorization: `Bearer ${TOKEN}` };
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18", ...auth };
const INIT = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

interface RawResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A plain node:http request, for what fetch and the SDK client will not do (lie about a length, drop a socket). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, http.url), { method: options.method ?? "POST", headers: { ...MCP_HEADERS, ...options.headers } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Sends a whole body with node:http; the answer, and any error the request met before it closed. */
function sendWhole(path: string, body: Buffer): Promise<RawResponse & { error: string | undefined }> {
  return new Promise((resolve) => {
    let answer: RawResponse = { status: 0, headers: {}, body: "" };
    let error: string | undefined;
    const req = request(new URL(path, http.url), { method: "POST", headers: MCP_HEADERS }, (res) => {
      answer = { status: res.statusCode ?? 0, headers: res.headers, body: "" };
      res.on("data", (c) => (answer.body += c));
    });
    req.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    req.on("close", () => resolve({ ...answer, error }));
    req.end(body);
  });
}

async function rawSession(): Promise<string> {
  const init = await raw("/mcp", { body: JSON.stringify(INIT) });
  const id = init.headers["mcp-session-id"] as string;
  expect(id).toBeTruthy();
  expect((await raw("/mcp", { headers: { "mcp-session-id": id }, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).status).toBe(202);
  return id;
}

async function sdkClient(): Promise<Client> {
  const { client } = await connectHttp(http.url, TOKEN);
  clients.push(client);
  return client;
}

async function start(maxSessions?: number): Promise<void> {
  http = await startHttpServer(app.app, { host: "127.0.0.1", port: 0, ...(maxSessions ? { maxSessions } : {}) });
}

beforeEach(async () => {
  fake = await startFakeBand();
  app = await connectInMemory(fake, { BAND_LIVE: "true", BAND_MCP_HTTP_TOKEN: TOKEN });
  await untilJoined(app.app);
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  await http.close();
  await app.close();
  await fake.close();
});

describe("HTTP edges", () => {
  it("answers 413 at once to a declared oversize body, without reading it", async () => {
    await start();
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(new URL("/mcp", http.url), { method: "POST", headers: { ...MCP_HEADERS, "content-length": String(100 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // A few bytes of the hundred megabytes promised; the answer must not wait for the rest.
      req.write("{");
      setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref();
    });
    expect(answer).toBe(413);
  });

  it("answers a 10 MB body with a 413 the client reads, as fetch and as node:http sending it whole", async () => {
    await start();
    const big = Buffer.alloc(10 * 1024 * 1024, "a");
    for (const [path, code] of [["/mcp", -32000], ["/agents/default/messages", "too_large"]] as const) {
      const fetched = await fetch(new URL(path, http.url), { method: "POST", headers: MCP_HEADERS, body: big });
      expect(fetched.status).toBe(413);
      const body = (await fetched.json()) as { error: { code: unknown; message: string } };
      expect(body.error).toMatchObject({ code, message: expect.stringContaining("over") });
      // node:http writes the whole body and reports a connection cut while it writes (EPIPE, reset) as an error.
      const written = await sendWhole(path, big);
      expect(written).toMatchObject({ status: 413, error: undefined });
      expect(JSON.parse(written.body).error).toMatchObject({ code });
      // Without a declared length (chunked), found over the cap while reading.
      const chunks = Array.from({ length: 160 }, () => big.subarray(0, 64 * 1024));
      const streamed = await fetch(new URL(path, http.url), { method: "POST", headers: MCP_HEADERS, body: ReadableStream.from(chunks), duplex: "half" } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { error: unknown }).error).toMatchObject({ code });
    }
  });

  it("cuts a refused body that goes on past the drain bound, after its 413", async () => {
    await start();
    const declared = 4 * DRAIN_LIMITS.bytes;
    const socket = connect(Number(new URL(http.url).port), "127.0.0.1");
    let answer = "";
    let written = 0;
    socket.on("data", (c) => (answer += c));
    socket.on("error", () => undefined);
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, "a");
    while (!socket.destroyed && written < declared) {
      written += chunk.length;
      if (!socket.write(chunk)) await new Promise((r) => { socket.once("drain", r); socket.once("close", r); });
    }
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(written).toBeLessThan(declared);
  });

  it("lets a newcomer in at the session limit by closing the least recently used idle session", async () => {
    await start(2);
    const oldest = await sdkClient();
    const recent = await sdkClient();
    await oldest.callTool({ name: "band_status", arguments: {} });
    await recent.callTool({ name: "band_status", arguments: {} });
    const newcomer = await sdkClient();
    expect(http.sessionCount()).toBe(2);
    expect((await newcomer.callTool({ name: "band_status", arguments: {} })).isError).toBeFalsy();
    expect((await recent.callTool({ name: "band_status", arguments: {} })).isError).toBeFalsy();
    await expect(oldest.callTool({ name: "band_status", arguments: {} })).rejects.toThrow(/Session not found/);
  });

  it("refuses a newcomer only when every session has a request in progress", async () => {
    await start(1);
    const busy = await sdkClient();
    const giveUp = new AbortController();
    const waiting = busy.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 10 } }, undefined, { signal: giveUp.signal });
    await new Promise((r) => setTimeout(r, 100));
    const refused = await raw("/mcp", { body: JSON.stringify(INIT) });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatch(/Too many open sessions/);
    giveUp.abort();
    await expect(waiting).rejects.toThrow();
    expect(http.sessionCount()).toBe(1);
  });

  it("answers an empty JSON-RPC batch with Invalid Request", async () => {
    await start();
    const session = await rawSession();
    const answer = await raw("/mcp", { headers: { "mcp-session-id": session }, body: "[]" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
  });

  it("answers OAuth discovery with 404, not 401, so hosts use the configured header", async () => {
    await start();
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource/mcp", "/register"]) {
      const answer = await raw(path, { method: path === "/register" ? "POST" : "GET", headers: { authorization: "" }, body: path === "/register" ? "{}" : undefined });
      expect(answer.status, path).toBe(404);
    }
    expect((await raw("/mcp", { headers: { authorization: "" }, body: JSON.stringify(INIT) })).status).toBe(401);
  });

  it("treats a wait whose connection closed as cancelled: the message goes to the next waiter", async () => {
    await start();
    const session = await rawSession();
    const call = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "band_wait_for_message", arguments: { timeout_seconds: 20 } } };
    // The client gives up the way a process that dies or times out does: the socket goes, no notifications/cancelled.
    await new Promise<void>((resolve, reject) => {
      const req = request(new URL("/mcp", http.url), { method: "POST", headers: { ...MCP_HEADERS, "mcp-session-id": session } }, () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
      req.on("error", () => undefined);
      req.end(JSON.stringify(call));
      setTimeout(() => reject(new Error("the wait's stream never opened")), 2_000).unref();
    });
    await new Promise((r) => setTimeout(r, 50));
    const sent = post("for whoever still listens");
    const live = app.app.live!;
    await waitFor(() => live.status().inbox.pending === 1, "message queued for the next waiter, not claimed by the abandoned one");
    expect(live.status().inbox.in_flight).toBe(0);

    const next = await sdkClient();
    const got = await next.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    expect((got.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([sent.id]);
    await next.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    expect(live.status().inbox.in_flight).toBe(0);
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
  });
});
