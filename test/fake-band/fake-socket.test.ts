/**
 * The fake Band socket against real clients: raw `ws` clients check the exact Phoenix v2 frames, and the official
 * phoenix.js Socket (what the product uses, with `ws` as its transport in Node) checks that the fake speaks the
 * protocol the way the real client expects it, including reconnects, rejoins and refused upgrades.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Socket, type Channel, type SocketConnectOption } from "phoenix";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { BandSocketServer, type SocketServerOptions } from "../../src/sandbox/socket.js";

const AGENT = "agent-1";
const KEY = "band_a_one";
const OTHER = "agent-2";
const OTHER_KEY = "band_a_two";
const KEYS = new Map([
  [KEY, AGENT],
  [OTHER_KEY, OTHER],
]);
const CONTROL = `agent_control:${AGENT}`;
const ROOM = "chat_room:room-1";
const OK = { status: "ok", response: {} };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  fake: BandSocketServer;
  /** What phoenix.js is given: it appends /websocket itself. */
  base: string;
  url(query: Record<string, string>, path?: string): string;
}

async function start(options: Partial<SocketServerOptions> = {}): Promise<World> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const fake = new BandSocketServer({
    authenticate: (key) => {
      const agentId = KEYS.get(key);
      return agentId ? { agentId } : undefined;
    },
    canJoin: (agentId, topic) => [`agent_control:${agentId}`, `agent_rooms:${agentId}`, ROOM].includes(topic),
    ...options,
  });
  fake.attach(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    await fake.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/socket`;
  return {
    fake,
    base,
    url: (query, path = "/websocket") => `${base}${path}?${new URLSearchParams(query)}`,
  };
}

// ---- raw ws clients ------------------------------------------------------------------------------------------

interface RawClient {
  ws: WebSocket;
  /** Parsed frames received, in order (raw text when not JSON). */
  received: unknown[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
}

async function rawConnect(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const ws = new WebSocket(url, { headers });
  cleanups.push(() => ws.terminate());
  const received: unknown[] = [];
  ws.on("message", (data) => received.push(parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await once(ws, "open");
  return { ws, received, closed, send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)) };
}

/** Waits until the client has received this exact frame. */
async function expectFrame(client: RawClient, frame: unknown): Promise<void> {
  await vi.waitFor(() => expect(client.received).toContainEqual(frame), { timeout: 2000, interval: 5 });
}

/** A round trip on the socket: once its reply is in, every frame the server sent before it is in too. */
async function roundTrip(client: RawClient, ref: string): Promise<void> {
  client.send([null, ref, "phoenix", "heartbeat", {}]);
  await expectFrame(client, [null, ref, "phoenix", "phx_reply", OK]);
}

interface Refused {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Opens a raw client that must be refused at upgrade, and returns the HTTP answer. */
function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<Refused> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => reject(new Error("upgrade was accepted")));
    ws.on("error", () => undefined);
    // With this listener ws leaves the failed handshake to us: read the body first, then end it.
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parse(body) });
        ws.terminate();
      });
    });
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- phoenix.js ----------------------------------------------------------------------------------------------

/** The HTTP refusals a transport saw (status, Retry-After, body): phoenix itself only gets an error event. */
interface Refusal {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/**
 * A `ws` WebSocket that sends the key as the `x-api-key` handshake header (what Band's TS SDK does) and records
 * refused upgrades. phoenix.js calls `new transport(url, protocols)`, so extra options must come from a subclass.
 */
function bandTransport(key: string, refusals: Refusal[] = []) {
  return class BandWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { "x-api-key": key } });
      this.on("unexpected-response", (_req, res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          refusals.push({ status: res.statusCode ?? 0, retryAfter, body: parse(body) });
          // Ends the handshake as ws would have: phoenix sees an error, then a close (1006).
          this.terminate();
        });
      });
    }
  };
}

function phoenix(world: World, options: Partial<SocketConnectOption> = {}): Socket {
  const socket = new Socket(world.base, {
    transport: bandTransport(KEY),
    params: { agent_id: AGENT },
    reconnectAfterMs: () => 30,
    rejoinAfterMs: () => 30,
    ...options,
  });
  cleanups.push(() => socket.disconnect());
  socket.connect();
  return socket;
}

function join(channel: Channel): Promise<{ status: string; response: unknown }> {
  return new Promise((resolve) => {
    channel
      .join(2000)
      .receive("ok", (response: unknown) => resolve({ status: "ok", response }))
      .receive("error", (response: unknown) => resolve({ status: "error", response }))
      .receive("timeout", () => resolve({ status: "timeout", response: undefined }));
  });
}

/** The join_refs of every phx_join the fake received for a topic, oldest first. */
function joinRefs(fake: BandSocketServer, topic: string): unknown[] {
  return fake.frames
    .filter((r) => r.direction === "in" && Array.isArray(r.frame) && r.frame[2] === topic && r.frame[3] === "phx_join")
    .map((r) => (r.frame as unknown[])[0]);
}

// ---- tests ---------------------------------------------------------------------------------------------------

describe("BandSocketServer with raw ws clients (exact frames)", () => {
  it("answers a join with ok, records it, and refuses a topic canJoin rejects", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));

    client.send(["1", "1", CONTROL, "phx_join", {}]);
    await expectFrame(client, ["1", "1", CONTROL, "phx_reply", OK]);
    client.send(["2", "2", `agent_control:${OTHER}`, "phx_join", {}]);
    await expectFrame(client, ["2", "2", `agent_control:${OTHER}`, "phx_reply", { status: "error", response: { reason: "unauthorized" } }]);

    expect(fake.isJoined(AGENT, CONTROL)).toBe(true);
    expect(fake.isJoined(AGENT, `agent_control:${OTHER}`)).toBe(false);
    expect(fake.joinedTopics(AGENT)).toEqual([CONTROL]);
    expect(fake.connectedAgents()).toEqual([AGENT]);
    expect(fake.frames.slice(0, 2)).toEqual([
      { agentId: AGENT, direction: "in", frame: ["1", "1", CONTROL, "phx_join", {}] },
      { agentId: AGENT, direction: "out", frame: ["1", "1", CONTROL, "phx_reply", OK] },
    ]);
  });

  it("replies to heartbeats on the phoenix topic, and stops while stalled", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    await roundTrip(client, "1");

    fake.stallHeartbeats(true);
    client.send([null, "2", "phoenix", "heartbeat", {}]);
    await sleep(100);
    expect(client.received).not.toContainEqual([null, "2", "phoenix", "phx_reply", OK]);
    expect(fake.frames.at(-1)).toEqual({ agentId: AGENT, direction: "in", frame: [null, "2", "phoenix", "heartbeat", {}] });

    fake.stallHeartbeats(false);
    await roundTrip(client, "3");
  });

  it("pushes with the join's join_ref, only on joined topics; leave replies ok then phx_close", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    client.send(["4", "4", ROOM, "phx_join", {}]);
    await expectFrame(client, ["4", "4", ROOM, "phx_reply", OK]);

    expect(fake.push(AGENT, ROOM, "message_created", { id: "m1" })).toBe(true);
    await expectFrame(client, ["4", null, ROOM, "message_created", { id: "m1" }]);

    expect(fake.push(AGENT, `agent_rooms:${AGENT}`, "room_added", { id: "r2" })).toBe(false);
    expect(fake.push(OTHER, ROOM, "message_created", { id: "m2" })).toBe(false);

    client.send(["4", "5", ROOM, "phx_leave", {}]);
    await expectFrame(client, ["4", "4", ROOM, "phx_close", {}]);
    expect(client.received.slice(-2)).toEqual([
      ["4", "5", ROOM, "phx_reply", OK],
      ["4", "4", ROOM, "phx_close", {}],
    ]);
    expect(fake.push(AGENT, ROOM, "message_created", { id: "m3" })).toBe(false);
    await roundTrip(client, "6");
    // Only the one push to a joined topic ever reached the client.
    expect(client.received.filter((f) => (f as unknown[])[1] === null)).toEqual([["4", null, ROOM, "message_created", { id: "m1" }]]);
  });

  it("uses the new join_ref after a reconnect and rejoin", async () => {
    const { fake, url } = await start();
    const first = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    first.send(["1", "1", ROOM, "phx_join", {}]);
    await expectFrame(first, ["1", "1", ROOM, "phx_reply", OK]);
    fake.drop(AGENT);
    await first.closed;

    const second = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    expect(fake.isJoined(AGENT, ROOM)).toBe(false);
    second.send(["7", "7", ROOM, "phx_join", {}]);
    await expectFrame(second, ["7", "7", ROOM, "phx_reply", OK]);
    fake.push(AGENT, ROOM, "message_created", { id: "m1" });
    await expectFrame(second, ["7", null, ROOM, "message_created", { id: "m1" }]);
  });

  it("closes the old channel on a duplicate join (phx_close with the old join_ref)", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    client.send(["1", "1", ROOM, "phx_join", {}]);
    client.send(["2", "2", ROOM, "phx_join", {}]);
    await expectFrame(client, ["2", "2", ROOM, "phx_reply", OK]);
    expect(client.received).toEqual([
      ["1", "1", ROOM, "phx_reply", OK],
      ["1", "1", ROOM, "phx_close", {}],
      ["2", "2", ROOM, "phx_reply", OK],
    ]);
    fake.push(AGENT, ROOM, "message_created", { id: "m1" });
    await expectFrame(client, ["2", null, ROOM, "message_created", { id: "m1" }]);
  });

  it("answers unknown events with an error, ignores unparseable frames, and sends raw text", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    client.send(["1", "1", ROOM, "phx_join", {}]);
    client.send(["1", "2", ROOM, "shout", { text: "hi" }]);
    await expectFrame(client, ["1", "2", ROOM, "phx_reply", { status: "error", response: { reason: "unknown event" } }]);
    client.send([null, "3", "nowhere", "shout", {}]);
    await expectFrame(client, [null, "3", "nowhere", "phx_reply", { status: "error", response: { reason: "unmatched topic" } }]);

    client.send("not json");
    client.send({ not: "a frame" });
    await roundTrip(client, "4"); // still served
    expect(fake.frames.filter((r) => r.direction === "in").map((r) => r.frame)).toContainEqual("not json");

    expect(fake.sendRaw(AGENT, "garbage{")).toBe(true);
    await vi.waitFor(() => expect(client.received.at(-1)).toBe("garbage{"));
    expect(fake.frames.at(-1)).toEqual({ agentId: AGENT, direction: "out", frame: "garbage{" });
    expect(fake.sendRaw(OTHER, "x")).toBe(false);
  });

  it("closes a socket after the idle timeout without client traffic, and keeps a talking one open", async () => {
    const { fake, url } = await start({ idleTimeoutMs: 150 });
    const silent = await rawConnect(url({ api_key: KEY, vsn: "2.0.0" }));
    const talking = await rawConnect(url({ api_key: OTHER_KEY, vsn: "2.0.0" }));
    const timer = setInterval(() => talking.send([null, "h", "phoenix", "heartbeat", {}]), 40);
    cleanups.push(() => clearInterval(timer));

    const began = Date.now();
    expect((await silent.closed).code).toBe(1000);
    expect(Date.now() - began).toBeGreaterThanOrEqual(100);
    await sleep(200);
    expect(talking.ws.readyState).toBe(WebSocket.OPEN);
    expect(fake.connectedAgents()).toEqual([OTHER]);
  });
});

describe("BandSocketServer upgrades", () => {
  it("authenticates by x-api-key header or api_key query, the header winning", async () => {
    const { fake, url } = await start();
    const byHeader = await rawConnect(url({ vsn: "2.0.0" }), { "x-api-key": KEY });
    await roundTrip(byHeader, "1");
    const byQuery = await rawConnect(url({ vsn: "2.0.0", api_key: OTHER_KEY }));
    await roundTrip(byQuery, "1");
    expect(fake.connectedAgents().sort()).toEqual([AGENT, OTHER]);
    expect(fake.upgrades.map((u) => [u.keySource, u.agentId, u.status])).toEqual([
      ["header", AGENT, 101],
      ["query", OTHER, 101],
    ]);

    // A good header beats a bad query key; a bad header loses even with a good query key.
    await rawConnect(url({ vsn: "2.0.0", api_key: "nope", on_conflict: "supersede" }), { "x-api-key": KEY });
    const refused = await refusedUpgrade(url({ vsn: "2.0.0", api_key: KEY }), { "x-api-key": "nope" });
    expect(refused.status).toBe(403);
  });

  it("refuses a bad or missing key, and an agent_id that is not the key's agent, with 403 and a JSON error", async () => {
    const { fake, url } = await start();
    for (const attempt of [
      refusedUpgrade(url({ vsn: "2.0.0", api_key: "band_a_wrong" })),
      refusedUpgrade(url({ vsn: "2.0.0" })),
      refusedUpgrade(url({ vsn: "2.0.0", agent_id: OTHER }), { "x-api-key": KEY }),
    ]) {
      const refused = await attempt;
      expect(refused.status).toBe(403);
      expect(refused.headers["content-type"]).toBe("application/json");
      expect(refused.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
    expect(fake.connectedAgents()).toEqual([]);
    const ok = await rawConnect(url({ vsn: "2.0.0", agent_id: AGENT }), { "x-api-key": KEY });
    await roundTrip(ok, "1");
  });

  it("answers 404 off the socket path", async () => {
    const { url } = await start();
    expect((await refusedUpgrade(url({ vsn: "2.0.0", api_key: KEY }, "/ws"))).status).toBe(404);
  });

  it("accepts the upgrade without vsn=2.0.0 and then closes it with 1011", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ api_key: KEY }));
    expect((await client.closed).code).toBe(1011);
    expect(fake.connectedAgents()).toEqual([]);
  });

  it("refuses an unknown on_conflict with 400 invalid_on_conflict", async () => {
    const { url } = await start();
    const refused = await refusedUpgrade(url({ vsn: "2.0.0", api_key: KEY, on_conflict: "fight" }));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: { code: "invalid_on_conflict", message: expect.any(String) } });
  });

  it("with on_conflict=reject answers 409 connection_conflict and keeps the first socket", async () => {
    const { fake, url } = await start();
    const first = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    first.send(["1", "1", CONTROL, "phx_join", {}]);
    await expectFrame(first, ["1", "1", CONTROL, "phx_reply", OK]);

    const refused = await refusedUpgrade(url({ vsn: "2.0.0", on_conflict: "reject" }), { "x-api-key": KEY });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: "connection_conflict", message: expect.any(String) } });

    await roundTrip(first, "2");
    expect(fake.isJoined(AGENT, CONTROL)).toBe(true);
    expect(first.received.filter((f) => (f as unknown[])[3] === "supersede")).toEqual([]);
    // Another agent is no conflict.
    await rawConnect(url({ vsn: "2.0.0", on_conflict: "reject", api_key: OTHER_KEY }));
  });

  it("by default supersedes: the old socket gets `supersede` on agent_control, then a close", async () => {
    const { fake, url } = await start();
    const old = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    old.send(["3", "3", CONTROL, "phx_join", {}]);
    await expectFrame(old, ["3", "3", CONTROL, "phx_reply", OK]);

    const newer = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    expect((await old.closed).code).toBe(1000);
    expect(old.received.at(-1)).toEqual([
      "3",
      null,
      CONTROL,
      "supersede",
      {
        reason: "session.already_connected",
        message: expect.any(String),
        retryable: false,
        retry_after: 5,
        target_socket_id: `agent_socket:${AGENT}`,
        correlation_id: expect.any(String),
      },
    ]);
    expect(fake.connectedAgents()).toEqual([AGENT]);
    expect(fake.isJoined(AGENT, CONTROL)).toBe(false); // the newer socket has joined nothing yet
    await roundTrip(newer, "1");
  });

  it("supersede() takes a custom payload and closes even when agent_control is not joined", async () => {
    const { fake, url } = await start();
    const joined = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    joined.send(["1", "1", CONTROL, "phx_join", {}]);
    await expectFrame(joined, ["1", "1", CONTROL, "phx_reply", OK]);
    fake.supersede(AGENT, { reason: "admin.evicted", message: "bye", retryable: false });
    expect((await joined.closed).code).toBe(1000);
    expect(joined.received.at(-1)).toEqual(["1", null, CONTROL, "supersede", { reason: "admin.evicted", message: "bye", retryable: false }]);

    const bare = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    fake.supersede(AGENT);
    expect((await bare.closed).code).toBe(1000);
    expect(bare.received).toEqual([]);
  });

  it("refuseUpgrades answers the next upgrades with the status, Retry-After and Band's error body", async () => {
    const { fake, url } = await start();
    fake.refuseUpgrades(429, { count: 2, retryAfter: 3 });
    fake.refuseUpgrades(503);
    const target = url({ vsn: "2.0.0", api_key: KEY });
    for (let i = 0; i < 2; i++) {
      const refused = await refusedUpgrade(target);
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("3");
      expect(refused.body).toEqual({ error: { code: "too_many_requests", message: expect.any(String), retry_after: 3 } });
    }
    const unavailable = await refusedUpgrade(target);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers["retry-after"]).toBeUndefined();
    expect(unavailable.body).toEqual({ error: { code: "tracking_failed", message: expect.any(String) } });

    await rawConnect(target);
    expect(fake.upgrades.map((u) => u.status)).toEqual([429, 429, 503, 101]);
  });

  it("drop() ends the socket abruptly (1006 by default, or the given code) without phx_close", async () => {
    const { fake, url } = await start();
    const client = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    client.send(["1", "1", ROOM, "phx_join", {}]);
    await expectFrame(client, ["1", "1", ROOM, "phx_reply", OK]);
    fake.drop(AGENT);
    expect(fake.connectedAgents()).toEqual([]);
    expect((await client.closed).code).toBe(1006);
    expect(client.received).toEqual([["1", "1", ROOM, "phx_reply", OK]]);

    const again = await rawConnect(url({ vsn: "2.0.0", api_key: KEY }));
    fake.drop(AGENT, 1012);
    expect(await again.closed).toEqual({ code: 1012, reason: "dropped" });
  });
});

describe("BandSocketServer with the phoenix.js client", () => {
  it("connects with the x-api-key header, joins, is refused, and receives pushes", async () => {
    const world = await start();
    const socket = phoenix(world);
    const control = socket.channel(CONTROL);
    expect(await join(control)).toEqual({ status: "ok", response: {} });
    const stranger = socket.channel(`agent_rooms:${OTHER}`);
    expect(await join(stranger)).toEqual({ status: "error", response: { reason: "unauthorized" } });
    stranger.leave();

    const room = socket.channel(ROOM);
    const events: unknown[] = [];
    room.on("message_created", (payload: unknown) => void events.push(payload));
    await join(room);
    expect(world.fake.push(AGENT, ROOM, "message_created", { id: "m1" })).toBe(true);
    await vi.waitFor(() => expect(events).toEqual([{ id: "m1" }]));

    // What phoenix.js put on the wire: /websocket appended, params then vsn, the key only in the header.
    expect(world.fake.upgrades[0]).toEqual({ query: { agent_id: AGENT, vsn: "2.0.0" }, keySource: "header", agentId: AGENT, status: 101 });
    expect(joinRefs(world.fake, ROOM)).toHaveLength(1);
  });

  it("connects with the api_key query param and the plain ws WebSocket as transport", async () => {
    const world = await start();
    const socket = phoenix(world, { transport: WebSocket, params: { api_key: OTHER_KEY } });
    expect(await join(socket.channel(`agent_rooms:${OTHER}`))).toEqual({ status: "ok", response: {} });
    expect(world.fake.upgrades[0]?.keySource).toBe("query");
    expect(world.fake.connectedAgents()).toEqual([OTHER]);
  });

  it("gets heartbeat replies; on stalled heartbeats phoenix reconnects and rejoins with new join_refs", async () => {
    const world = await start();
    const socket = phoenix(world, { heartbeatIntervalMs: 100 });
    const room = socket.channel(ROOM);
    const events: unknown[] = [];
    room.on("message_created", (payload: unknown) => void events.push(payload));
    await join(room);
    const rtt = await new Promise<number>((resolve) => socket.ping(resolve));
    expect(rtt).toBeGreaterThanOrEqual(0);

    const closes: number[] = [];
    socket.onClose((event) => void closes.push(event.code));
    world.fake.stallHeartbeats(true);
    await vi.waitFor(() => expect(closes.length).toBeGreaterThan(0), { timeout: 3000 });
    world.fake.stallHeartbeats(false);

    // phoenix.js rejoins by itself after reconnecting, with a fresh join_ref.
    await vi.waitFor(() => expect(world.fake.isJoined(AGENT, ROOM)).toBe(true), { timeout: 3000 });
    const refs = joinRefs(world.fake, ROOM);
    expect(new Set(refs).size).toBe(refs.length);
    expect(world.fake.upgrades.length).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(room.state).toBe("joined"));

    world.fake.push(AGENT, ROOM, "message_created", { id: "after" });
    await vi.waitFor(() => expect(events).toEqual([{ id: "after" }]));
    // A push with the previous join's join_ref is dropped by phoenix.js as outdated.
    world.fake.sendRaw(AGENT, JSON.stringify([refs[0], null, ROOM, "message_created", { id: "stale" }]));
    world.fake.push(AGENT, ROOM, "message_created", { id: "fresh" });
    await vi.waitFor(() => expect(events).toEqual([{ id: "after" }, { id: "fresh" }]));
  });

  it("reconnects and rejoins by itself after drop()", async () => {
    const world = await start();
    const socket = phoenix(world);
    const room = socket.channel(ROOM);
    const events: unknown[] = [];
    room.on("message_created", (payload: unknown) => void events.push(payload));
    await join(room);
    const closes: number[] = [];
    socket.onClose((event) => void closes.push(event.code));

    world.fake.drop(AGENT);
    await vi.waitFor(() => expect(closes).toEqual([1006]));
    await vi.waitFor(() => expect(joinRefs(world.fake, ROOM)).toHaveLength(2), { timeout: 3000 });
    await vi.waitFor(() => expect(room.state).toBe("joined"));
    expect(world.fake.push(AGENT, ROOM, "message_created", { id: "m1" })).toBe(true);
    await vi.waitFor(() => expect(events).toEqual([{ id: "m1" }]));
  });

  it("delivers supersede to the old socket; a client that disconnects on it stays off", async () => {
    const world = await start();
    const old = phoenix(world);
    const control = old.channel(CONTROL);
    const superseded: unknown[] = [];
    // phoenix.js reconnects after any server close, so the terminal handling is the client's job.
    control.on("supersede", (payload: unknown) => {
      superseded.push(payload);
      old.disconnect();
    });
    await join(control);

    const newer = phoenix(world);
    await join(newer.channel(CONTROL));
    await vi.waitFor(() => expect(superseded).toEqual([expect.objectContaining({ reason: "session.already_connected", retryable: false })]));
    await sleep(150);
    expect(world.fake.upgrades).toHaveLength(2);
    expect(world.fake.connectedAgents()).toEqual([AGENT]);
    expect(newer.isConnected()).toBe(true);
    expect(old.isConnected()).toBe(false);
  });

  it("on_conflict=reject: the second client sees 409 through its transport, the first stays connected", async () => {
    const world = await start();
    const first = phoenix(world, { params: { agent_id: AGENT, on_conflict: "reject" } });
    await join(first.channel(CONTROL));

    const refusals: Refusal[] = [];
    const second = phoenix(world, { transport: bandTransport(KEY, refusals), params: { agent_id: AGENT, on_conflict: "reject" } });
    const errors: unknown[] = [];
    second.onError((error) => {
      errors.push(error);
      second.disconnect(); // 409 is terminal; phoenix.js would otherwise keep retrying
    });
    await vi.waitFor(() => expect(refusals).toHaveLength(1));
    expect(refusals[0]).toEqual({ status: 409, retryAfter: undefined, body: { error: { code: "connection_conflict", message: expect.any(String) } } });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(second.isConnected()).toBe(false);

    expect(first.isConnected()).toBe(true);
    expect(world.fake.isJoined(AGENT, CONTROL)).toBe(true);
    expect(await new Promise<number>((resolve) => first.ping(resolve))).toBeGreaterThanOrEqual(0);
  });

  it("refused with 429: the transport sees Retry-After, and phoenix.js reconnects by itself", async () => {
    const world = await start();
    world.fake.refuseUpgrades(429, { retryAfter: 1 });
    const refusals: Refusal[] = [];
    const socket = phoenix(world, { transport: bandTransport(KEY, refusals) });
    const errors: unknown[] = [];
    socket.onError((error) => void errors.push(error));
    expect(await join(socket.channel(CONTROL))).toEqual({ status: "ok", response: {} });
    expect(refusals).toEqual([{ status: 429, retryAfter: "1", body: { error: { code: "too_many_requests", message: expect.any(String), retry_after: 1 } } }]);
    expect(errors).toHaveLength(1);
    expect(world.fake.upgrades.map((u) => u.status)).toEqual([429, 101]);
  });
});
