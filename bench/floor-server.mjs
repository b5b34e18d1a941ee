// The floor for `npm run bench -- throughput`: the least an MCP server on Band can do per message, with the
// libraries this project uses (phoenix over ws, undici's dispatch, the MCP SDK's McpServer over stdio, zod 4) and
// none of its code. It answers the three tools the throughput scenario calls, claims each message handed out
// (POST …/processing) and acknowledges it when marked (POST …/processed), as Band requires; it has no inbox
// bounds, dedupe, backlog, resync, control, rendering, logging or error handling, so it is a measuring stick,
// never a server to run. `npm run bench` runs it as the "floor throughput" scenario (`npm run bench -- floor`):
// its CPU per message, beside the fake Band's in the same run, is what the stack itself costs; the server can get
// down to it, not below it. With FLOOR_MCP=raw it answers JSON-RPC itself instead of through the MCP SDK: the
// difference is what the SDK's server side costs.
import { createInterface } from "node:readline";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Socket } from "phoenix";
import { Agent } from "undici";
import WebSocket from "ws";
import * as z from "zod";

const key = process.env.BAND_API_KEY ?? "";
const base = new URL(process.env.BAND_BASE_URL ?? "");
const dispatcher = new Agent();

/** One REST call through undici's dispatch API (as src/band/exchange.ts makes it); resolves with the JSON body. */
function rest(method, path) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let status = 0;
    const request = { origin: base.origin, path: base.pathname.replace(/\/$/, "") + path, method, headers: { "x-api-key": key, accept: "application/json" } };
    dispatcher.dispatch(request, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = Buffer.concat(chunks).toString("utf8");
        if (status < 300) resolve(text ? JSON.parse(text) : null);
        else reject(new Error(`${method} ${path}: HTTP ${status}`));
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

const me = (await rest("GET", "/api/v1/agent/me")).data;
const queue = [];
const waiters = [];
const claims = new Map();
const joinedRooms = new Set();

class KeyedWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { headers: { "x-api-key": key } });
  }
}
const socket = new Socket(process.env.BAND_WS_URL ?? "", { transport: KeyedWebSocket, params: { agent_id: me.id, on_conflict: "reject" } });
socket.connect();

function join(topic, events, joined = () => {}) {
  const channel = socket.channel(topic, {});
  for (const [event, handle] of Object.entries(events)) channel.on(event, handle);
  channel.join().receive("ok", joined);
}

// A pushed message is checked as the server checks it (a schema over its fields), then handed to a blocked wait
// or queued.
const Pushed = z.looseObject({ id: z.string(), content: z.string(), sender_id: z.string(), sender_type: z.string(), inserted_at: z.string() });
function joinRoom(roomId) {
  const onMessage = (payload) => {
    const parsed = Pushed.safeParse(payload);
    if (!parsed.success || parsed.data.sender_id === me.id) return;
    const message = { id: parsed.data.id, chat_id: roomId, content: parsed.data.content, sender_id: parsed.data.sender_id, sender_type: parsed.data.sender_type, inserted_at: parsed.data.inserted_at };
    const waiter = waiters.shift();
    if (waiter) waiter([message]);
    else queue.push(message);
  };
  join(`chat_room:${roomId}`, { message_created: onMessage }, () => joinedRooms.add(roomId));
}
join(`agent_control:${me.id}`, {});
join(`agent_rooms:${me.id}`, { room_added: (room) => joinRoom(room.id) });
for (let page = 1; ; page++) {
  const { data, metadata } = await rest("GET", `/api/v1/agent/chats?page=${page}&page_size=100`);
  for (const room of data) joinRoom(room.id);
  if (page >= (metadata.total_pages ?? 1)) break;
}

function nextMessages(max, timeoutSeconds) {
  const queued = queue.splice(0, max);
  if (queued.length > 0) return Promise.resolve(queued);
  return new Promise((resolve) => {
    const waiter = (messages) => {
      clearTimeout(timer);
      resolve(messages);
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      resolve([]);
    }, timeoutSeconds * 1000);
    waiters.push(waiter);
  });
}

// The three tools, as plain functions of their arguments.
const tools = {
  band_status: async () => ({ connection: socket.isConnected() ? "connected" : "connecting", chats_joined: joinedRooms.size }),
  band_wait_for_message: async ({ max_messages = 1, timeout_seconds = 30 }) => {
    const messages = await nextMessages(max_messages, timeout_seconds);
    for (const { id, chat_id } of messages) claims.set(id, rest("POST", `/api/v1/agent/chats/${chat_id}/messages/${id}/processing`));
    return { messages, timed_out: messages.length === 0 };
  },
  band_mark_processed: async ({ chat_id, message_id }) => {
    // Band accepts the acknowledgement only once the claim has landed.
    await claims.get(message_id);
    claims.delete(message_id);
    await rest("POST", `/api/v1/agent/chats/${chat_id}/messages/${message_id}/processed`);
    return { marked: true };
  },
};
const answer = (structuredContent) => ({ content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent });

/** Through the MCP SDK's McpServer over its stdio transport, each tool with input and output schemas. */
async function serveWithSdk() {
  const server = new McpServer({ name: "floor", version: "0.0.0" });
  const Message = z.object({ id: z.string(), chat_id: z.string(), content: z.string(), sender_id: z.string(), sender_type: z.string(), inserted_at: z.string() });
  const schemas = {
    band_status: { inputSchema: {}, outputSchema: { connection: z.string(), chats_joined: z.number() } },
    band_wait_for_message: {
      inputSchema: { max_messages: z.number().int().min(1).max(50).optional(), timeout_seconds: z.number().min(0).max(600).optional(), chat_id: z.string().optional() },
      outputSchema: { messages: z.array(Message), timed_out: z.boolean() },
    },
    band_mark_processed: { inputSchema: { chat_id: z.string(), message_id: z.string() }, outputSchema: { marked: z.boolean() } },
  };
  for (const [name, tool] of Object.entries(tools)) server.registerTool(name, schemas[name], async (args) => answer(await tool(args)));
  await server.connect(new StdioServerTransport());
}

/**
 * FLOOR_MCP=raw: JSON-RPC lines answered here, without the MCP SDK's server side (no request, argument or result
 * checks, no per-request bookkeeping), to show what that side costs per message. Only what the bench's client asks.
 */
function serveRaw() {
  const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  createInterface({ input: process.stdin }).on("line", async (line) => {
    const { id, method, params } = JSON.parse(line);
    if (id === undefined) return;
    if (method === "initialize") send({ id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "floor", version: "0.0.0" } } });
    else if (method === "tools/call") send({ id, result: answer(await tools[params.name](params.arguments ?? {})) });
    else send({ id, result: {} });
  });
}

if (process.env.FLOOR_MCP === "raw") serveRaw();
else await serveWithSdk();
// The host closing stdin ends the server, as it ends ours (and lets --cpu-prof write its profile).
process.stdin.on("end", () => process.exit(0));
