import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHttpServer, type HttpHandle } from "../../src/http/server.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { connectInMemory, untilJoined, waitFor, type Connected } from "../helpers/harness.js";
import { connectHttp } from "../helpers/http-server.js";

let fake: FakeBand;
let app: Connected;
const handles: HttpHandle[] = [];
const clients: Client[] = [];

const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const never = new AbortController().signal;

beforeEach(async () => {
  fake = await startFakeBand();
  app = await connectInMemory(fake, { BAND_LIVE: "true" });
  await untilJoined(app.app);
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const h of handles.splice(0)) await h.close();
  await app.close();
  await fake.close();
});

describe("HTTP sessions over one shared inbox", () => {
  it("expire when idle, handing their unacknowledged messages to a session still waiting", async () => {
    const http = await startHttpServer(app.app, { host: "127.0.0.1", port: 0, idleTimeoutMs: 600 });
    handles.push(http);
    const { client: idle } = await connectHttp(http.url);
    clients.push(idle);
    const sent = post("first come");
    const first = await idle.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    expect((first.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([sent.id]);
    // Connected only now and waiting at once, so under load too it is never idle: only the first session expires.
    const { client: busy } = await connectHttp(http.url);
    clients.push(busy);
    const second = await busy.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 10 } });
    expect((second.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([sent.id]);
    expect(http.sessionCount()).toBe(1);
    await expect(idle.callTool({ name: "band_status", arguments: {} })).rejects.toThrow();
  });

  it("put back only what Band still lists as unprocessed", async () => {
    const live = app.app.live!.inbox;
    const session = app.app.live!.view({ owned: true });
    const [kept, markedElsewhere] = [post("still open"), post("marked by someone else")];
    await waitFor(() => live.peek().length === 2, "both queued");
    const got = await session.wait({ timeoutMs: 5_000, max: 10, signal: never });
    expect(got.messages.map((m) => m.id)).toEqual([kept.id, markedElsewhere.id]);
    expect(session.inFlight()).toHaveLength(2);
    await waitFor(() => fake.delivery(markedElsewhere.id, fake.agent.id).status === "processing", "claimed");
    // Band's own record changes behind this process's back (the owner marks it from Band's UI, say).
    const path = `${fake.url}/api/v1/agent/chats/${fake.room.id}/messages/${markedElsewhere.id}/processed`;
    expect((await fetch(path, { method: "POST", headers: { "x-api-key": fake.agent.key } })).status).toBe(200);

    await session.close();
    const next = await live.wait({ timeoutMs: 300, max: 10, signal: never });
    expect(next.messages.map((m) => m.id)).toEqual([kept.id]);
  });

  it("forget what the session marked itself, and release its waits on close", async () => {
    const live = app.app.live!.inbox;
    const session = app.app.live!.view({ owned: true });
    const sent = post("done here");
    expect((await session.wait({ timeoutMs: 5_000, max: 10, signal: never })).messages.map((m) => m.id)).toEqual([sent.id]);
    expect(session.inFlight().map((m) => m.id)).toEqual([sent.id]);
    expect(live.inFlight(fake.room.id).map((m) => m.id)).toEqual([sent.id]);
    await session.markProcessed(fake.room.id, sent.id);
    expect(session.inFlight()).toEqual([]);
    expect(live.inFlight()).toEqual([]);
    const blocked = session.wait({ timeoutMs: 20_000, max: 10, signal: never });
    const started = Date.now();
    await session.close();
    expect(await blocked).toMatchObject({ messages: [], timed_out: false });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await live.wait({ timeoutMs: 200, max: 10, signal: never })).messages).toEqual([]);
  });
});
