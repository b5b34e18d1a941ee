import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startSandbox, type Sandbox } from "../../src/sandbox/main.js";
import { waitFor } from "../helpers/harness.js";
import { sandboxEvents } from "../helpers/sandbox.js";

let sandbox: Sandbox;
const streams: AbortController[] = [];

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, feed: { activityTtlMs: 50 } });
});

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.abort();
  await sandbox.close();
});

async function control(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${sandbox.url}/sandbox/api${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Band's agent API, as the demo agent. */
async function asAgent(path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/api/v1/agent${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "x-api-key": sandbox.agentKey, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) };
}

/** The event stream's events, parsed, as they arrive. */
function openEvents(): { events: { event: string; data: any }[] } {
  const abort = new AbortController();
  streams.push(abort);
  return { events: sandboxEvents(sandbox.url, abort.signal) };
}

const teamRoom = async () => ((await control("/rooms")).body.rooms as any[]).find((r) => r.title === "Team room");

describe("the sandbox's world and control API", () => {
  it("starts with a demo agent, three people and two rooms, and the agent's key works on Band's API", async () => {
    const { body } = await control("/world");
    expect(body.agent).toMatchObject({ handle: "ada/assistant", type: "Agent" });
    expect(body.people.map((p: any) => p.handle)).toEqual(["ada", "grace", "alan"]);
    expect(body.rooms.map((r: any) => r.title)).toEqual(["Welcome", "Team room"]);
    expect(JSON.stringify(body)).not.toContain(sandbox.agentKey);
    const me = await asAgent("/me");
    expect(me.body.data).toMatchObject({ id: body.agent.id, handle: "ada/assistant" });
    expect((await asAgent("/chats")).body.data).toHaveLength(2);
  });

  it("posts as a person with typed @mentions, and shows each mentioned agent's state through the agent's lifecycle", async () => {
    const room = await teamRoom();
    const posted = await control(`/rooms/${room.id}/messages`, { body: { as: "grace", content: "@ada/assistant, ask @alan." } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ content: "@ada/assistant, ask @alan.", sender: { handle: "grace" } });
    expect(posted.body.mentions.map((m: any) => m.handle)).toEqual(["ada/assistant", "alan"]);
    expect(posted.body.states).toEqual([{ agent_id: expect.any(String), handle: "ada/assistant", state: "unprocessed", attempts: 0 }]);

    // Band stores the mention as a token, and the agent's queue holds the message.
    const next = await asAgent(`/chats/${room.id}/messages/next`);
    expect(next.body.data.content).toContain(`@[[${posted.body.mentions[0].id}]]`);
    const id = posted.body.id;
    await asAgent(`/chats/${room.id}/messages/${id}/processing`, {});
    expect((await control(`/messages/${id}`)).body.states[0].state).toBe("processing");
    await asAgent(`/chats/${room.id}/messages/${id}/failed`, { error: "tool crashed" });
    expect((await control(`/messages/${id}`)).body.states[0]).toMatchObject({ state: "failed", attempts: 1, error: "tool crashed" });
    await asAgent(`/chats/${room.id}/messages/${id}/processing`, {});
    await asAgent(`/chats/${room.id}/messages/${id}/processed`, {});
    expect((await control(`/messages/${id}`)).body.states[0]).toMatchObject({ state: "processed", attempts: 2 });

    const read = await control(`/rooms/${room.id}/messages`);
    expect(read.body.messages.map((m: any) => m.id)).toEqual([id]);
  });

  it("creates a room with the people and the agent, and the agent is told of it", async () => {
    const created = await control("/rooms", { body: { title: "CI run 42", as: "alan", participants: ["alan", "ada/assistant"] } });
    expect(created.status).toBe(201);
    expect(created.body.participants.map((p: any) => [p.handle, p.role])).toEqual([
      ["alan", "owner"],
      ["ada/assistant", "member"],
    ]);
    expect(((await asAgent("/chats")).body.data as any[]).map((c) => c.title)).toContain("CI run 42");
    expect((await control(`/rooms/${created.body.id}`)).body.title).toBe("CI run 42");
  });

  it("refuses what Band would refuse, and says what to do", async () => {
    const room = await teamRoom();
    const noMention = await control(`/rooms/${room.id}/messages`, { body: { as: "grace", content: "hello, anyone?" } });
    expect(noMention).toMatchObject({ status: 422, body: { error: { code: "mentions_required" } } });
    const welcome = ((await control("/rooms")).body.rooms as any[]).find((r) => r.title === "Welcome");
    const outsider = await control(`/rooms/${welcome.id}/messages`, { body: { as: "grace", content: "@ada/assistant hi" } });
    expect(outsider).toMatchObject({ status: 403, body: { error: { code: "not_a_participant" } } });
    const nobody = await control(`/rooms/${room.id}/messages`, { body: { as: "mallory", content: "@ada hi" } });
    expect(nobody.status).toBe(422);
    expect(nobody.body.error.message).toContain("/sandbox/api/world");
    expect((await control(`/rooms/${room.id}/messages`, { body: "not json" })).status).toBe(400);
    expect((await control(`/rooms/${room.id}/messages`, { body: { as: "grace", content: "x".repeat(70_000) } })).status).toBe(413);
    expect((await control("/rooms/nope/messages")).status).toBe(404);
    expect((await control("/nothing")).status).toBe(404);
  });

  it("answers only requests that are JSON writes from this machine", async () => {
    const room = await teamRoom();
    // A cross-site form can send text/plain without a preflight: refused.
    const form = await fetch(`${sandbox.url}/sandbox/api/rooms/${room.id}/messages`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ as: "grace", content: "@ada/assistant hi" }),
    });
    expect(form.status).toBe(415);
    expect((await control("/world", { headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await control(`/rooms/${room.id}/messages`)).body.messages).toEqual([]);
  });

  it("streams messages, state changes and the agent's working indicator to the web chat", async () => {
    const room = await teamRoom();
    // Only a connected agent works (the page shows one with no socket offline); closed with the sandbox.
    const agentSocket = new WebSocket(`${sandbox.url.replace("http", "ws")}/api/v1/socket/websocket?vsn=2.0.0`, { headers: { "x-api-key": sandbox.agentKey } });
    await new Promise((resolve) => agentSocket.once("open", resolve));
    const { events } = openEvents();
    await waitFor(async () => {
      // The stream is open once a change reaches it.
      await asAgent(`/chats/${room.id}/activity`, { working: false });
      return events.some((e) => e.event === "working");
    }, "event stream open");

    const posted = (await control(`/rooms/${room.id}/messages`, { body: { as: "ada", content: "@ada/assistant go" } })).body;
    await waitFor(() => events.some((e) => e.event === "message" && e.data.id === posted.id), "message event");

    await asAgent(`/chats/${room.id}/messages/${posted.id}/processing`, {});
    await waitFor(() => events.some((e) => e.event === "working" && e.data.agents.some((a: any) => a.handle === "ada/assistant")), "working while processing");
    expect((await control(`/rooms/${room.id}`)).body.working.map((a: any) => a.handle)).toEqual(["ada/assistant"]);
    await asAgent(`/chats/${room.id}/messages/${posted.id}/processed`, {});
    await waitFor(() => events.some((e) => e.event === "message" && e.data.id === posted.id && e.data.states[0].state === "processed"), "processed event");
    expect(events.at(-1)).toMatchObject({ event: "working", data: { room_id: room.id, agents: [] } });

    // A {working: true} report lasts the activity TTL (50 ms here), then the indicator clears by itself.
    const before = events.length;
    await asAgent(`/chats/${room.id}/activity`, { working: true });
    await waitFor(() => events.slice(before).some((e) => e.event === "working" && e.data.agents.length === 1), "reported working");
    await waitFor(() => events.at(-1)?.event === "working" && events.at(-1)?.data.agents.length === 0, "activity expired");

    const reply = await asAgent(`/chats/${room.id}/messages`, { message: { content: "done @ada", mentions: [{ handle: "ada" }] } });
    await waitFor(() => events.some((e) => e.event === "message" && e.data.id === reply.body.data.id && e.data.sender.type === "Agent"), "the agent's reply");
  });

  it("tells open pages about new rooms, and bounds how many event streams are open", async () => {
    const { events } = openEvents();
    await waitFor(async () => {
      await asAgent(`/chats/${(await teamRoom()).id}/activity`, { working: false });
      return events.some((e) => e.event === "working");
    }, "event stream open");
    const created = (await control("/rooms", { body: { title: "Retro" } })).body;
    await waitFor(() => events.some((e) => e.event === "room" && e.data.id === created.id && e.data.title === "Retro"), "room event");

    const small = await startSandbox({ port: 0, feed: { maxClients: 1 } });
    try {
      const first = await fetch(`${small.url}/sandbox/api/events`);
      expect(first.status).toBe(200);
      const second = await fetch(`${small.url}/sandbox/api/events`);
      expect(second.status).toBe(503);
      expect(((await second.json()) as any).error.code).toBe("too_many_streams");
      await first.body?.cancel();
    } finally {
      await small.close();
    }
  });

  it("refuses messages past its cap, from people and from the agent alike, and says how to get room", async () => {
    const small = await startSandbox({ port: 0, maxMessages: 1 });
    try {
      const world = (await (await fetch(`${small.url}/sandbox/api/world`)).json()) as any;
      const room = world.rooms.find((r: any) => r.title === "Team room");
      const post = () =>
        fetch(`${small.url}/sandbox/api/rooms/${room.id}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ as: "grace", content: "@ada/assistant hi" }),
        });
      expect((await post()).status).toBe(201);
      const full = await post();
      expect(full.status).toBe(507);
      expect(((await full.json()) as any).error).toMatchObject({ code: "storage_full", message: expect.stringContaining("restart it") });
      const agentSend = await fetch(`${small.url}/api/v1/agent/chats/${room.id}/messages`, {
        method: "POST",
        headers: { "x-api-key": small.agentKey, "content-type": "application/json" },
        body: JSON.stringify({ message: { content: "hi", mentions: [{ handle: "grace" }] } }),
      });
      expect(agentSend.status).toBe(507);
    } finally {
      await small.close();
    }
  });

  it("serves the web chat's files with a policy that allows nothing from other hosts", async () => {
    const page = await fetch(`${sandbox.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<label for="message">');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${sandbox.url}/chat.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("EventSource");
    // Band's API is still Band's: unknown paths get Band's 404 envelope.
    expect((await fetch(`${sandbox.url}/etc/passwd`)).status).toBe(404);
  });
});

describe("the sandbox's port", () => {
  it("without one asked for, is the first free port from 8790 on (not a random one); an explicit one taken is refused", async () => {
    // Hold 8790 (unless another sandbox on this machine already does): the sandbox must take the next free one.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.once("error", () => resolve()).listen(8790, "127.0.0.1", resolve));
    const started: Sandbox[] = [];
    try {
      started.push(await startSandbox(), await startSandbox());
      const [first, second] = started.map((s) => Number(new URL(s.url).port));
      expect(first).toBeGreaterThan(8790);
      expect(second).toBeGreaterThan(first!);
      expect(second).toBeLessThanOrEqual(8809);
      await expect(startSandbox({ port: first })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      for (const s of started) await s.close();
      holder.close();
    }
  });
});
