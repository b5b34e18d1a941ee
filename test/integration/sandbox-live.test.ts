/** What the web chat is told live: who is online, markdown rendered safely, and the page's own files. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startSandbox, type Sandbox } from "../../src/sandbox/main.js";
import { waitFor } from "../helpers/harness.js";
import { sandboxEvents } from "../helpers/sandbox.js";

let sandbox: Sandbox;
const closers: (() => void)[] = [];

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await sandbox.close();
});

async function control(path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}/sandbox/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return response.json();
}

/** The demo agent's socket, as any Band client opens it. */
async function connectAgent(): Promise<WebSocket> {
  const ws = new WebSocket(`${sandbox.url.replace("http", "ws")}/api/v1/socket/websocket?vsn=2.0.0`, { headers: { "x-api-key": sandbox.agentKey } });
  closers.push(() => ws.terminate());
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  return ws;
}

function openEvents(): { event: string; data: any }[] {
  const abort = new AbortController();
  closers.push(() => abort.abort());
  return sandboxEvents(sandbox.url, abort.signal);
}

describe("the web chat's live truth", () => {
  it("shows the agent online only while its socket is connected, and never working once it is gone", async () => {
    const agentId = sandbox.demo.agent.id;
    expect((await control("/world")).online).toEqual([]);
    const events = openEvents();
    await new Promise((r) => setTimeout(r, 100));
    const ws = await connectAgent();
    await waitFor(() => events.some((e) => e.event === "presence" && e.data.online), "online event");
    expect((await control("/world")).online).toEqual([agentId]);

    const team = (await control("/rooms")).rooms.find((r: any) => r.title === "Team room");
    const asked = await control(`/rooms/${team.id}/messages`, { as: "grace", content: "@ada/assistant hello" });
    await fetch(`${sandbox.url}/api/v1/agent/chats/${team.id}/messages/${asked.id}/processing`, { method: "POST", headers: { "x-api-key": sandbox.agentKey } });
    expect((await control(`/rooms/${team.id}`)).working.map((a: any) => a.id)).toEqual([agentId]);

    // The server goes away mid-message: the message stays processing (Band's way), but nobody is working on it.
    ws.terminate();
    await waitFor(() => events.some((e) => e.event === "presence" && e.data.agent_id === agentId && !e.data.online), "offline event");
    expect((await control("/world")).online).toEqual([]);
    expect((await control(`/rooms/${team.id}`)).working).toEqual([]);
    expect(events.filter((e) => e.event === "working" && e.data.room_id === team.id).at(-1)?.data.agents).toEqual([]);
    expect((await control(`/messages/${asked.id}`)).states[0].state).toBe("processing");
  });

  it("renders message markdown to HTML with the sender's own HTML and script links made harmless", async () => {
    const team = (await control("/rooms")).rooms.find((r: any) => r.title === "Team room");
    const content = "@ada/assistant **bold** and `code`\n<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) https://band.ai";
    const posted = await control(`/rooms/${team.id}/messages`, { as: "grace", content });
    expect(posted.content).toBe(content);
    expect(posted.html).toContain("<strong>bold</strong>");
    expect(posted.html).toContain("<code>code</code>");
    expect(posted.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(posted.html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(posted.html).toContain('<a href="https://band.ai" target="_blank" rel="noopener noreferrer nofollow">');
  });

  it("serves a favicon (no 404 in the browser's console)", async () => {
    for (const path of ["/favicon.svg", "/favicon.ico"]) {
      const response = await fetch(`${sandbox.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/svg+xml");
      expect(await response.text()).toContain("<svg");
    }
    expect(await (await fetch(`${sandbox.url}/`)).text()).toContain('<link rel="icon" href="/favicon.svg"');
  });

  it("sends Band's agent.control to the agent's socket as Band's SDKs receive it, and remembers what is paused", async () => {
    const agentId = sandbox.demo.agent.id;
    const team = (await control("/rooms")).rooms.find((r: any) => r.title === "Team room");
    const send = (body: unknown) =>
      fetch(`${sandbox.url}/sandbox/api/agents/${agentId}/control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    // Nothing connected: nothing to send it to, and the page is told so.
    const offline = await send({ mode: "stop" });
    expect(offline.status).toBe(409);
    expect(((await offline.json()) as any).error.code).toBe("agent_offline");

    const ws = await connectAgent();
    const frames: unknown[][] = [];
    ws.on("message", (data) => frames.push(JSON.parse(String(data))));
    ws.send(JSON.stringify(["1", "1", `agent_control:${agentId}`, "phx_join", {}]));
    await waitFor(() => frames.some((f) => f[3] === "phx_reply"), "joined agent_control");

    const stopRoom = await send({ mode: "stop", room_id: team.id, reason: "lunch" });
    expect(stopRoom.status).toBe(202);
    const answer = (await stopRoom.json()) as any;
    expect(answer).toMatchObject({ mode: "stop", room_id: team.id, paused: { agent: false, rooms: [team.id] } });
    await send({ mode: "stop" });
    await send({ mode: "interrupt" });
    await send({ mode: "play" });
    await waitFor(() => frames.filter((f) => f[3] === "agent.control").length === 4, "four control frames");
    const pushed = frames.filter((f) => f[3] === "agent.control");
    // The topic's join_ref, no ref, Band's payload: room_id only for one room, a fresh correlation_id each.
    expect(pushed[0]).toEqual(["1", null, `agent_control:${agentId}`, "agent.control", {
      type: "agent.control", mode: "stop", scope: "agent", agent_id: agentId, room_id: team.id, reason: "lunch", correlation_id: answer.correlation_id,
    }]);
    expect(pushed.slice(1).map((f) => f[4])).toEqual([
      { type: "agent.control", mode: "stop", scope: "agent", agent_id: agentId, correlation_id: expect.any(String) },
      { type: "agent.control", mode: "interrupt", scope: "agent", agent_id: agentId, correlation_id: expect.any(String) },
      { type: "agent.control", mode: "play", scope: "agent", agent_id: agentId, correlation_id: expect.any(String) },
    ]);
    expect(new Set(pushed.map((f) => (f[4] as any).correlation_id)).size).toBe(4);
    // Play for every room resumes the room stopped on its own too.
    expect((await control("/world")).paused).toEqual({ agent: false, rooms: [] });

    expect((await send({ mode: "pause" })).status).toBe(422);
    const welcome = (await control("/rooms")).rooms.find((r: any) => r.title === "Welcome");
    expect((await send({ mode: "stop", room_id: "nope" })).status).toBe(404);
    expect((await send({ mode: "stop", room_id: welcome.id })).status).toBe(202);
  });
});
