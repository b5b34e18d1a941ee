import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const live = (env: Record<string, string> = {}, options = {}): Promise<Connected> => connect({ BAND_LIVE: "true", ...env }, options);

const connectedWithRooms = (c: Connected, rooms = 1): Promise<void> => untilJoined(c.app, rooms);

/** Receives until `count` messages arrived (or a wait times out), acking nothing. */
async function receive(c: Connected, count: number, args: Record<string, unknown> = {}): Promise<{ id: string; content: string; chat_id: string }[]> {
  const got: { id: string; content: string; chat_id: string }[] = [];
  while (got.length < count) {
    const result = await call(c.client, "band_wait_for_message", { timeout_seconds: 5, max_messages: 50, ...args });
    expect(result.isError, result.text).toBe(false);
    if (result.structured!.timed_out) break;
    got.push(...result.structured!.messages);
  }
  return got;
}

const post = (text: string, roomId = fake.room.id) => fake.postMessage(roomId, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });

describe("live inbox against the fake Band", () => {
  it("delivers a pushed mention with rendered content, claims it, and marks it processed", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const sent = post("please review");
    const [message] = await receive(c, 1);
    expect(message!.id).toBe(sent.id);
    expect(message!.content).toContain("@alice/helper");
    expect(message!.content).not.toContain("@[[");
    expect((message as any).sender).toMatchObject({ id: fake.user.id, name: "Alice Smith", handle: "alice" });
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).status === "processing", "claimed on Band");

    const marked = await call(c.client, "band_mark_processed", { chat_id: fake.room.id, message_id: sent.id });
    expect(marked.isError, marked.text).toBe(false);
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
  });

  it("marks failed with the reason", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const sent = post("do the impossible");
    await receive(c, 1);
    const marked = await call(c.client, "band_mark_failed", { chat_id: fake.room.id, message_id: sent.id, error: "cannot" });
    expect(marked.isError, marked.text).toBe(false);
    const delivery = fake.delivery(sent.id, fake.agent.id);
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts.at(-1)?.error).toBe("cannot");
  });

  it("delivers messages created before start, in order, and never the agent's own", async () => {
    const before = [post("one"), post("two"), post("three")];
    fake.postMessage(fake.room.id, { senderId: fake.agent.id, content: "my own", mentions: [fake.user.id] });
    const c = await live();
    const got = await receive(c, 3);
    expect(got.map((m) => m.id)).toEqual(before.map((m) => m.id));
    const more = await call(c.client, "band_wait_for_message", { timeout_seconds: 0.3 });
    expect(more.structured).toMatchObject({ messages: [], timed_out: true, pending: 0 });
  });

  it("after a dropped socket, delivers what was sent while it was down, none twice", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const first = post("before drop");
    fake.socket.drop(fake.agent.id);
    const during = [post("while down 1"), post("while down 2")];
    await waitFor(async () => (await c.app.status()).reconnects >= 1 && (await c.app.status()).connection === "connected", "reconnected");
    const got = await receive(c, 3);
    expect(got.map((m) => m.id)).toEqual([first.id, ...during.map((m) => m.id)]);
    const again = await call(c.client, "band_wait_for_message", { timeout_seconds: 0.5 });
    expect(again.structured!.messages).toEqual([]);
  });

  it("joins and drains a room added live", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const room = fake.createRoom({ title: "New room", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const sent = post("welcome", room.id);
    const [message] = await receive(c, 1, { chat_id: room.id });
    expect(message).toMatchObject({ id: sent.id, chat_id: room.id });
    await waitFor(() => fake.socket.isJoined(fake.agent.id, `chat_room:${room.id}`), "joined the new room");
  });

  it("a second process with the same key reports conflict (standing by), keeps REST, and the first stays connected", async () => {
    const first = await live();
    await connectedWithRooms(first);
    const second = await live();
    await waitFor(async () => (await second.app.status()).connection === "conflict", "second sees conflict");
    const wait = await call(second.client, "band_wait_for_message", { timeout_seconds: 1 });
    expect(wait.isError).toBe(true);
    expect(wait.text).toMatch(/another process.*Standing by/);
    const me = await call(second.client, "band_get_me");
    expect(me.structured!.id).toBe(fake.agent.id);
    expect((await first.app.status()).connection).toBe("connected");
    const sent = post("still mine");
    const [message] = await receive(first, 1);
    expect(message!.id).toBe(sent.id);
  });

  it("a supersede puts it on standby: nothing tried before retry_after, then only on_conflict=reject", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const before = fake.socket.upgrades.length;
    fake.socket.supersede(fake.agent.id, { reason: "session.already_connected", message: "newer", retryable: false, retry_after: 1 });
    await waitFor(async () => (await c.app.status()).connection === "conflict", "conflict after supersede");
    expect((await c.app.status()).standby).toMatchObject({ attempts: 1 });
    await new Promise((r) => setTimeout(r, 600));
    expect(fake.socket.upgrades.length).toBe(before);
    await waitFor(async () => (await c.app.status()).connection === "connected", "took the socket back once free", 3_000);
    expect(fake.socket.upgrades.slice(before).map((u) => u.query.on_conflict)).toEqual(["reject"]);
  });

  it("delivers 1,000 pushed messages in order, exactly once", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const sent = Array.from({ length: 1000 }, (_, i) => post(`bulk ${i}`));
    const got = await receive(c, 1000);
    expect(got.map((m) => m.id)).toEqual(sent.map((m) => m.id));
  });

  it("with capacity 100, delivers all of 500 pushed messages in order, none twice", async () => {
    const c = await live({ BAND_INBOX_CAPACITY: "100" });
    await connectedWithRooms(c);
    const sent = Array.from({ length: 500 }, (_, i) => post(`overflow ${i}`));
    await waitFor(async () => (await c.app.status()).inbox.dropped > 0, "overflow counted");
    const got: string[] = [];
    while (got.length < 500) {
      const result = await call(c.client, "band_wait_for_message", { timeout_seconds: 5, max_messages: 30 });
      if (result.structured!.timed_out) break;
      for (const m of result.structured!.messages) {
        got.push(m.id);
        await call(c.client, "band_mark_processed", { chat_id: m.chat_id, message_id: m.id });
      }
    }
    expect(got).toEqual(sent.map((m) => m.id));
  });

  it("sends resources/updated for band://inbox within a second of a push", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const updates: string[] = [];
    c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await c.client.subscribeResource({ uri: "band://inbox" });
    const started = Date.now();
    post("notify me");
    await waitFor(() => updates.includes("band://inbox"), "resource update", 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    const read = await c.client.readResource({ uri: "band://inbox" });
    expect(JSON.parse(String((read.contents[0] as { text: string }).text))).toHaveLength(1);
  });

  it("survives malformed frames and unknown events", async () => {
    const c = await live();
    await connectedWithRooms(c);
    fake.socket.sendRaw(fake.agent.id, "{not json");
    fake.socket.sendRaw(fake.agent.id, JSON.stringify({ hello: "world" }));
    fake.socket.sendRaw(fake.agent.id, JSON.stringify([null, null, `chat_room:${fake.room.id}`, "message_created", { id: 5 }]));
    fake.socket.push(fake.agent.id, `chat_room:${fake.room.id}`, "mystery_event", { id: "x" });
    const sent = post("after the noise");
    const [message] = await receive(c, 1);
    expect(message!.id).toBe(sent.id);
    expect((await c.app.status()).connection).toBe("connected");
  });

  it("reconnects when the fake stops answering heartbeats", async () => {
    const c = await live({}, { socket: { heartbeatIntervalMs: 150, reconnect: { baseMs: 50, maxMs: 200 } } });
    await connectedWithRooms(c);
    fake.socket.stallHeartbeats(true);
    await waitFor(async () => (await c.app.status()).reconnects >= 1, "reconnect after heartbeat timeout");
    fake.socket.stallHeartbeats(false);
    await connectedWithRooms(c);
    const sent = post("after heartbeat loss");
    const [message] = await receive(c, 1);
    expect(message!.id).toBe(sent.id);
  });

  it("a reply with reply_to_message_id marks the message processed", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const sent = post("question?");
    await receive(c, 1);
    const reply = await call(c.client, "band_send_message", { chat_id: fake.room.id, content: "answer", mentions: ["@alice"], reply_to_message_id: sent.id });
    expect(reply.isError, reply.text).toBe(false);
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).status === "processed", "processed after reply");
  });

  it("times out normally, honours the chat filter, and releases a cancelled wait", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const started = Date.now();
    const empty = await call(c.client, "band_wait_for_message", { timeout_seconds: 0.3 });
    expect(empty.isError).toBe(false);
    expect(empty.structured).toMatchObject({ messages: [], timed_out: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    const controller = new AbortController();
    const cancelled = c.client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 20 } }, undefined, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(cancelled).rejects.toThrow();
    const sent = post("for the next waiter");
    const [message] = await receive(c, 1);
    expect(message!.id).toBe(sent.id);
  });

  it("with a rejected key stays up: status unauthorized, inbox tools say which variable to fix", async () => {
    const c = await live({ BAND_API_KEY: "band_a_wrong-key-for-test" });
    const status = await c.app.status();
    expect(status).toMatchObject({ ok: false, connection: "unauthorized" });
    const wait = await call(c.client, "band_wait_for_message", { timeout_seconds: 1 });
    expect(wait.isError).toBe(true);
    expect(wait.text).toMatch(/BAND_API_KEY/);
    expect(wait.text).not.toContain("wrong-key-for-test");
  });

  it("starts while Band is unreachable, reports connecting, and still answers tools", async () => {
    const c = await live({ BAND_BASE_URL: "http://127.0.0.1:9", BAND_WS_URL: "ws://127.0.0.1:9/api/v1/socket" });
    const status = await call(c.client, "band_status");
    expect(status.structured).toMatchObject({ ok: false, connection: "connecting" });
    expect(status.structured!.detail).toMatch(/cannot reach Band/);
    const me = await call(c.client, "band_get_me");
    expect(me.isError).toBe(true);
    expect(me.text).toMatch(/Could not reach Band/);
  });

  it("waits out Retry-After when Band refuses the upgrade with 429, then resyncs", async () => {
    const c = await live();
    await connectedWithRooms(c);
    fake.socket.refuseUpgrades(429, { count: 1, retryAfter: 1 });
    const droppedAt = Date.now();
    fake.socket.drop(fake.agent.id);
    const sent = post("after the rate limit");
    await waitFor(async () => (await c.app.status()).reconnects >= 1, "reconnected", 5_000);
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(900);
    const [message] = await receive(c, 1);
    expect(message!.id).toBe(sent.id);
  });

  it("retries a claim that Band fails with 500", async () => {
    const c = await live();
    await connectedWithRooms(c);
    fake.failNext(2, 500, { path: /\/processing$/ });
    const sent = post("claim me eventually");
    await receive(c, 1);
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).status === "processing", "claimed after retries");
    const claims = fake.requests.filter((r) => r.path.endsWith(`${sent.id}/processing`));
    expect(claims.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("lists concrete rooms under the resource templates and reads every resource", async () => {
    const c = await live();
    await connectedWithRooms(c);
    post("for the transcript");
    await waitFor(async () => (await c.app.status()).inbox.pending === 1, "queued");
    const { resources } = await c.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(["band://inbox", "band://status", "band://me", `band://inbox/${fake.room.id}`, `band://chats/${fake.room.id}/context`]));
    const read = async (uri: string) => JSON.parse(((await c.client.readResource({ uri })).contents[0] as { text: string }).text);
    expect(await read(`band://inbox/${fake.room.id}`)).toHaveLength(1);
    expect(await read("band://status")).toMatchObject({ connection: "connected", inbox: { pending: 1 } });
    expect(await read("band://me")).toMatchObject({ id: fake.agent.id });
    const transcript = await read(`band://chats/${fake.room.id}/context`);
    expect(transcript.at(-1)).toMatchObject({ content: expect.stringContaining("@alice/helper for the transcript"), sender: { handle: "alice" } });
    const { resourceTemplates } = await c.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining(["band://inbox/{chat_id}", "band://chats/{chat_id}/context"]));
  });

  it("refuses to wait on a chat the agent is not in, instead of waiting out the timeout", async () => {
    const c = await live();
    await connectedWithRooms(c);
    const started = Date.now();
    const result = await call(c.client, "band_wait_for_message", { chat_id: "not-a-room", timeout_seconds: 10 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/not in a chat.*band_list_chats/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
