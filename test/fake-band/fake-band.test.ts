/**
 * Faithfulness of the fake Band to spec/openapi.json and PROTOCOL.md, over real HTTP (plain fetch) and a real
 * WebSocket. Everything else tests our server against this fake, so this file is what makes those tests mean
 * something.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { OPERATIONS } from "../../src/band/generated/operations.js";
import { startFakeBand, type FakeBand } from "./index.js";

interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

let band: FakeBand;

beforeEach(async () => {
  band = await startFakeBand();
});

afterEach(async () => {
  await band.close();
});

async function api(method: string, path: string, options: { key?: string | null; body?: unknown; rawBody?: string } = {}): Promise<Answer> {
  const key = options.key === undefined ? band.agent.key : options.key;
  const headers: Record<string, string> = { accept: "application/json" };
  if (key !== null) headers["x-api-key"] = key;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(band.url + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text) };
}

const chat = (roomId: string, rest = "") => `/api/v1/agent/chats/${roomId}${rest}`;
const send = (roomId: string, message: unknown, key?: string) => api("POST", chat(roomId, "/messages"), { body: { message }, key });
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A message from the user to the agent, as if typed in Band's UI. */
const fromUser = (content: string, roomId = band.room.id) => band.postMessage(roomId, { senderId: band.user.id, content, mentions: [band.agent.id] });

describe("authentication and scopes", () => {
  it("answers an unknown or missing key with 401 in the spec's error envelope", async () => {
    for (const key of [null, "band_a_not-a-real-key"]) {
      const { status, json } = await api("GET", "/api/v1/agent/me", { key });
      expect(status).toBe(401);
      expect(json.error).toMatchObject({ code: "unauthorized", message: "Invalid or missing API key" });
      expect(json.error.request_id).toEqual(expect.any(String));
      expect(json.error.request_id.length).toBeGreaterThan(0);
    }
  });

  it("keeps agent keys off /me and user keys off /agent with 403", async () => {
    const asAgent = await api("GET", "/api/v1/me/profile");
    expect(asAgent.status).toBe(403);
    expect(asAgent.json.error.message).toBe("Agent authentication not allowed");
    const asUser = await api("GET", "/api/v1/agent/me", { key: band.user.key });
    expect(asUser.status).toBe(403);
    expect(asUser.json.error.message).toBe("Agent authentication required");
  });

  it("issues keys in Band's formats and seeds the documented world", async () => {
    expect(band.agent.key).toMatch(/^band_a_[A-Za-z0-9]{24}$/);
    expect(band.user.key).toMatch(/^band_u_[A-Za-z0-9]{24}$/);
    const me = await api("GET", "/api/v1/agent/me");
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ id: band.agent.id, name: "Helper", handle: "alice/helper", owner_uuid: band.user.id });
    expect(me.json.data.inserted_at).toMatch(ISO_MICROS);
    const participants = await api("GET", chat(band.room.id, "/participants"));
    expect(participants.json.data).toEqual([
      { id: band.user.id, type: "User", role: "owner", status: "active", name: "Alice Smith", handle: "alice" },
      { id: band.agent.id, type: "Agent", role: "member", status: "active", name: "Helper", handle: "alice/helper" },
      { id: band.peer.id, type: "Agent", role: "member", status: "active", name: "Reviewer", handle: "alice/reviewer" },
    ]);
    expect(participants.json.metadata).toBeUndefined();
  });

  it("records every request with the status it got", async () => {
    await api("GET", "/api/v1/agent/me");
    await api("GET", "/api/v1/agent/chats?page=1&page_size=5", { key: null });
    expect(band.requests.map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual([
      { method: "GET", path: "/api/v1/agent/me", query: {}, status: 200 },
      { method: "GET", path: "/api/v1/agent/chats", query: { page: "1", page_size: "5" }, status: 401 },
    ]);
  });
});

describe("coverage", () => {
  it("routes every operation of spec/openapi.json (35 agent, 29 human)", async () => {
    const operations = Object.entries(OPERATIONS);
    expect(operations.filter(([, op]) => op.path.startsWith("/api/v1/agent/"))).toHaveLength(35);
    expect(operations.filter(([, op]) => op.path.startsWith("/api/v1/me/"))).toHaveLength(29);
    for (const [name, { method, path }] of operations) {
      const key = path.startsWith("/api/v1/me/") ? band.user.key : band.agent.key;
      const { status, json } = await api(method, path.replace(/\{\w+\}/g, () => crypto.randomUUID()), { key, body: method === "GET" || method === "DELETE" ? undefined : {} });
      expect(status, name).not.toBe(500);
      expect(json?.error?.message ?? "", name).not.toMatch(/^No route/);
    }
    expect((await api("GET", "/api/v1/agent/nowhere")).json.error.message).toMatch(/^No route/);
  });
});

describe("chats", () => {
  it("lists the agent's rooms with page metadata", async () => {
    const { status, json } = await api("GET", "/api/v1/agent/chats");
    expect(status).toBe(200);
    expect(json.data).toEqual([expect.objectContaining({ id: band.room.id, title: "Project room", task_id: null })]);
    expect(json.metadata).toEqual({ page: 1, page_size: 20, total_count: 1, total_pages: 1 });
  });

  it("creates rooms from {chat: {…}} and from {}, with 201, the agent as owner", async () => {
    const titled = await api("POST", "/api/v1/agent/chats", { body: { chat: { title: "  Planning  " } } });
    expect(titled.status).toBe(201);
    expect(titled.json.data).toMatchObject({ title: "Planning", task_id: null });
    const bare = await api("POST", "/api/v1/agent/chats", { body: {} });
    expect(bare.status).toBe(201);
    expect(bare.json.data.title).toBeNull();
    const participants = await api("GET", chat(bare.json.data.id, "/participants"));
    expect(participants.json.data).toEqual([expect.objectContaining({ id: band.agent.id, role: "owner" })]);
    const tooLong = await api("POST", "/api/v1/agent/chats", { body: { chat: { title: "x".repeat(121) } } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.error.details).toHaveProperty("/chat/title");
  });

  it("renames only for the owner, validates titles, and hides foreign rooms", async () => {
    const notOwner = await api("PATCH", chat(band.room.id), { body: { chat: { title: "Mine now" } } });
    expect(notOwner.status).toBe(403);

    const own = (await api("POST", "/api/v1/agent/chats", { body: { chat: {} } })).json.data.id;
    const renamed = await api("PATCH", chat(own), { body: { chat: { title: " Release plan " } } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data.title).toBe("Release plan");
    for (const title of ["", "   ", "a\nb", "nul\u0000", "y".repeat(121)]) {
      const bad = await api("PATCH", chat(own), { body: { chat: { title } } });
      expect(bad.status, JSON.stringify(title)).toBe(422);
      expect(bad.json.error).toMatchObject({ code: "validation_error", details: { "/chat/title": [expect.any(String)] } });
    }
    expect((await api("PATCH", chat(own), { body: { title: "unwrapped" } })).status).toBe(422);

    const stranger = band.addUser({ name: "Bob", handle: "bob" });
    const foreign = band.createRoom({ ownerId: stranger.id, title: "Secret" });
    for (const path of [chat(foreign.id), chat(foreign.id, "/messages"), chat(crypto.randomUUID()), chat("not-a-uuid")]) {
      const hidden = await api("GET", path);
      expect(hidden.status, path).toBe(404);
      expect(hidden.json.error.code).toBe("not_found");
    }
  });
});

describe("sending messages", () => {
  it("answers 201 with recipients, prepends @[[id]] tokens and records metadata.mentions", async () => {
    const sent = await send(band.room.id, { content: "please review", mentions: [{ handle: "alice/reviewer" }, { id: band.user.id, kind: "reference" }] });
    expect(sent.status).toBe(201);
    expect(sent.json.data).toEqual({ id: expect.any(String), success: true, recipients: [{ id: band.peer.id, handle: "alice/reviewer", name: "Reviewer" }] });

    const stored = band.messages(band.room.id).at(-1)!;
    expect(stored).toMatchObject({
      id: sent.json.data.id,
      content: `@[[${band.peer.id}]] please review`,
      message_type: "text",
      sender_id: band.agent.id,
      sender_type: "Agent",
      sender_name: "Helper",
      chat_room_id: band.room.id,
      metadata: { mentions: [{ id: band.peer.id, handle: "alice/reviewer", name: "Reviewer" }] },
    });
    expect(stored.inserted_at).toMatch(ISO_MICROS);
  });

  it("does not prepend a token the text already carries", async () => {
    const content = `thanks @[[${band.peer.id}]]!`;
    await send(band.room.id, { content, mentions: [{ id: band.peer.id }, { id: band.user.id }] });
    expect(band.messages(band.room.id).at(-1)!.content).toBe(`@[[${band.user.id}]] ${content}`);
  });

  it.each([
    ["mentions_required", { content: "hi", mentions: [] }, "/message/mentions"],
    ["mentions_required", { content: "hi" }, "/message/mentions"],
    ["mentions_required", { content: "hi", mentions: [{ handle: "alice", kind: "reference" }] }, "/message/mentions"],
    ["validation_error", { content: " \u200b\n ", mentions: [{ handle: "alice" }] }, "/message/content"],
    ["cannot_mention_self", { content: "hi", mentions: [{ handle: "alice/helper" }] }, "/message/mentions/0"],
    ["duplicate_mentions", { content: "hi", mentions: [{ handle: "alice" }, { handle: "alice" }] }, "/message/mentions/1"],
    ["invalid_mention_kind", { content: "hi", mentions: [{ handle: "alice", kind: "shout" }] }, "/message/mentions/0/kind"],
    ["invalid_mention_kind", { content: "hi", mentions: [{ handle: "alice", kind: null }] }, "/message/mentions/0/kind"],
    ["handle_not_found", { content: "hi", mentions: [{ handle: "nobody/here" }] }, "/message/mentions/0/handle"],
    ["mention_missing_identifier", { content: "hi", mentions: [{ name: "Alice Smith" }] }, "/message/mentions/0"],
  ])("refuses %s with a ValidationError keyed by JSON pointer", async (code, message, pointer) => {
    const { status, json } = await send(band.room.id, message);
    expect(status).toBe(422);
    expect(json.error).toMatchObject({ code, message: expect.any(String), request_id: expect.any(String) });
    expect(json.error.details[pointer]).toEqual([expect.any(String)]);
    expect(band.messages(band.room.id)).toHaveLength(0);
  });

  it("refuses a mention of someone outside the room, and a message without its wrapper", async () => {
    const outsider = band.addAgent({ name: "Outsider" });
    const notInRoom = await send(band.room.id, { content: "hi", mentions: [{ id: outsider.id }] });
    expect(notInRoom.status).toBe(422);
    expect(notInRoom.json.error.code).toBe("mentioned_participant_not_in_room");
    const unwrapped = await api("POST", chat(band.room.id, "/messages"), { body: { content: "hi", mentions: [{ handle: "alice" }] } });
    expect(unwrapped.status).toBe(422);
    expect(unwrapped.json.error.details).toHaveProperty("/message");
  });

  it("stores events with 201, outside every queue, inside the sender's context", async () => {
    const event = await api("POST", chat(band.room.id, "/events"), { body: { event: { content: "Calling search", message_type: "tool_call", metadata: { function: { name: "search" } } } } });
    expect(event.status).toBe(201);
    expect(event.json.data).toEqual({ id: expect.any(String), message_type: "tool_call", success: true });
    const bad = await api("POST", chat(band.room.id, "/events"), { body: { event: { content: "x", message_type: "text" } } });
    expect(bad.status).toBe(422);
    const context = await api("GET", chat(band.room.id, "/context"));
    expect(context.json.data).toEqual([expect.objectContaining({ id: event.json.data.id, message_type: "tool_call", metadata: { function: { name: "search" } } })]);
    expect((await api("GET", chat(band.room.id, "/messages/next"), { key: band.peer.key })).status).toBe(204);
  });
});

describe("the delivery state machine", () => {
  it("walks /next → /processing → /failed → /processing → /processed as PROTOCOL.md §6 says", async () => {
    const message = fromUser("summarize the doc");
    const messageUrl = (action: string) => chat(band.room.id, `/messages/${message.id}/${action}`);

    const next = await api("GET", chat(band.room.id, "/messages/next"));
    expect(next.status).toBe(200);
    expect(next.json.data).toMatchObject({ id: message.id, content: `@[[${band.agent.id}]] summarize the doc`, sender_type: "User" });

    expect((await api("POST", messageUrl("processed"))).status).toBe(422);
    expect((await api("POST", messageUrl("failed"), { body: { error: "boom" } })).status).toBe(422);

    const first = await api("POST", messageUrl("processing"));
    expect(first.json.data).toEqual({ id: message.id, status: "processing", attempt_number: 1, success: true });
    expect((await api("GET", chat(band.room.id, "/messages?status=processing"))).json.data.map((m: any) => m.id)).toEqual([message.id]);
    expect((await api("POST", messageUrl("failed"), { body: {} })).status).toBe(422);
    const failed = await api("POST", messageUrl("failed"), { body: { error: "model timed out" } });
    expect(failed.json.data).toEqual({ id: message.id, status: "failed", attempt_number: 1, success: true });

    // A failed message stays actionable.
    expect((await api("GET", chat(band.room.id, "/messages/next"))).json.data.id).toBe(message.id);
    for (const filter of ["", "?status=failed", "?status=pending"]) {
      expect((await api("GET", chat(band.room.id, `/messages${filter}`))).json.data.map((m: any) => m.id), filter).toEqual([message.id]);
    }

    expect((await api("POST", messageUrl("processing"))).json.data.attempt_number).toBe(2);
    const done = await api("POST", messageUrl("processed"));
    expect(done.json.data).toEqual({ id: message.id, status: "processed", attempt_number: 2, success: true });
    expect((await api("POST", messageUrl("processed"))).status).toBe(422);

    expect((await api("GET", chat(band.room.id, "/messages/next"))).status).toBe(204);
    const defaultList = await api("GET", chat(band.room.id, "/messages"));
    expect(defaultList.json.data).toEqual([]);
    expect(defaultList.json.metadata).toEqual({ has_more: false, limit: 20, next_cursor: null, status_filter: null });
    expect((await api("GET", chat(band.room.id, "/messages?status=processed"))).json.data.map((m: any) => m.id)).toEqual([message.id]);
    expect((await api("GET", chat(band.room.id, "/messages?status=all"))).json.data).toHaveLength(1);
    expect((await api("GET", chat(band.room.id, "/messages?status=bogus"))).status).toBe(422);

    expect(band.delivery(message.id, band.agent.id)).toEqual({
      status: "processed",
      attempts: [
        { attempt_number: 1, status: "failed", error: "model timed out" },
        { attempt_number: 2, status: "success" },
      ],
    });
    expect(band.delivery(message.id, band.peer.id)).toEqual({ status: "none", attempts: [] });

    // /processing is always allowed, but processed is terminal: a late claim opens attempt 3 and changes nothing else.
    expect((await api("POST", messageUrl("processing"))).json.data).toEqual({ id: message.id, status: "processing", attempt_number: 3, success: true });
    expect((await api("GET", chat(band.room.id, "/messages/next"))).status).toBe(204);
    expect(band.delivery(message.id, band.agent.id).status).toBe("processed");
  });

  it("queues only text messages that mention the agent and that it did not send", async () => {
    band.postMessage(band.room.id, { senderId: band.user.id, content: "for the reviewer", mentions: [band.peer.id] });
    band.postMessage(band.room.id, { senderId: band.user.id, content: "thinking", mentions: [band.agent.id], messageType: "thought" });
    await send(band.room.id, { content: "my own", mentions: [{ id: band.peer.id }] });
    const mine = fromUser("for me");
    const list = await api("GET", chat(band.room.id, "/messages?status=all"));
    expect(list.json.data.map((m: any) => m.id)).toEqual([mine.id]);
    expect((await api("GET", chat(band.room.id, "/messages/next"))).json.data.id).toBe(mine.id);
    // The peer got the user's message and the agent's.
    expect((await api("GET", chat(band.room.id, "/messages"), { key: band.peer.key })).json.data).toHaveLength(2);
  });

  it("answers 404 for a message of another room", async () => {
    const other = band.createRoom({ ownerId: band.user.id, memberIds: [band.agent.id] });
    const message = fromUser("elsewhere", other.id);
    expect((await api("POST", chat(band.room.id, `/messages/${message.id}/processing`))).status).toBe(404);
    expect((await api("POST", chat(other.id, `/messages/${message.id}/processing`))).status).toBe(200);
  });
});

describe("cursor pagination", () => {
  it("walks oldest first with opaque cursors and refuses foreign or broken ones with 422", async () => {
    const posted = Array.from({ length: 45 }, (_, i) => fromUser(`message ${i}`).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await api("GET", chat(band.room.id, `/messages?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((m: any) => m.id));
      expect(page.json.metadata.limit).toBe(20);
      expect(page.json.metadata.has_more).toBe(page.json.metadata.next_cursor !== null);
      cursor = page.json.metadata.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(posted);

    const firstPage = await api("GET", chat(band.room.id, "/messages?limit=5"));
    const contextCursor = (await api("GET", chat(band.room.id, "/context?limit=5"))).json.metadata.next_cursor;
    for (const bad of ["garbage", contextCursor]) {
      const refused = await api("GET", chat(band.room.id, `/messages?cursor=${encodeURIComponent(bad)}`));
      expect(refused.status).toBe(422);
      expect(refused.json.error.details).toBeTypeOf("object");
    }
    expect((await api("GET", chat(band.room.id, `/messages?limit=0`))).status).toBe(422);
    expect((await api("GET", chat(band.room.id, `/messages?limit=500`))).json.data).toHaveLength(45);
    expect(firstPage.json.metadata.next_cursor).not.toMatch(/messages|\d{4}-/);
  });

  it("skips nothing when earlier messages are processed between pages", async () => {
    const posted = Array.from({ length: 30 }, (_, i) => fromUser(`m${i}`).id);
    const first = await api("GET", chat(band.room.id, "/messages?limit=10"));
    for (const message of first.json.data) {
      await api("POST", chat(band.room.id, `/messages/${message.id}/processing`));
      await api("POST", chat(band.room.id, `/messages/${message.id}/processed`));
    }
    const second = await api("GET", chat(band.room.id, `/messages?limit=10&cursor=${encodeURIComponent(first.json.metadata.next_cursor)}`));
    expect(second.json.data.map((m: any) => m.id)).toEqual(posted.slice(10, 20));
  });

  it("pages the context (default 50) with the deprecated meta duplicate, and supports the page family with Deprecation headers", async () => {
    for (let i = 0; i < 55; i++) fromUser(`c${i}`);
    const context = await api("GET", chat(band.room.id, "/context"));
    expect(context.json.data).toHaveLength(50);
    expect(context.json.metadata).toMatchObject({ has_more: true, limit: 50 });
    expect(context.json.meta).toEqual(context.json.metadata);

    const paged = await api("GET", chat(band.room.id, "/messages?page=3&page_size=20"));
    expect(paged.json.data).toHaveLength(15);
    expect(paged.json.metadata).toMatchObject({ page: 3, page_size: 20, total_count: 55, total_pages: 3, has_more: false });
    expect(paged.headers.get("deprecation")).toBeTruthy();
    expect(paged.headers.get("sunset")).toBeTruthy();
    expect((await api("GET", chat(band.room.id, "/messages?page=1&cursor=abc"))).status).toBe(422);
  });
});

describe("participants and peers", () => {
  it("adds siblings with 201, refuses strangers with 403 and malformed ids with 422", async () => {
    const own = (await api("POST", "/api/v1/agent/chats", { body: { chat: { title: "Side" } } })).json.data.id;
    const added = await api("POST", chat(own, "/participants"), { body: { participant: { participant_id: band.peer.id } } });
    expect(added.status).toBe(201);
    expect(added.json.data).toEqual({ id: band.peer.id, type: "Agent", role: "member", status: "active", name: "Reviewer", handle: "alice/reviewer" });
    expect((await api("POST", chat(own, "/participants"), { body: { participant: { participant_id: band.peer.id } } })).status).toBe(422);
    expect((await api("POST", chat(own, "/participants"), { body: { participant: { participant_id: "nope" } } })).status).toBe(422);

    const bob = band.addUser({ name: "Bob", handle: "bob" });
    expect((await api("POST", chat(own, "/participants"), { body: { participant: { participant_id: bob.id } } })).status).toBe(403);
    expect((await api("POST", chat(own, "/participants"), { body: { participant: { participant_id: crypto.randomUUID() } } })).status).toBe(404);

    const removed = await api("DELETE", chat(own, `/participants/${band.peer.id}`));
    expect(removed.status).toBe(200);
    expect(removed.json.data).toMatchObject({ id: band.peer.id, role: "member" });
    expect((await api("DELETE", chat(own, `/participants/${band.agent.id}`))).json.error.code).toBe("cannot_remove_sole_owner");
  });

  it("lets only owners and admins remove participants", async () => {
    const denied = await api("DELETE", chat(band.room.id, `/participants/${band.peer.id}`));
    expect(denied.status).toBe(403);
  });

  it("lists the owner and siblings as registry peers, then contacts", async () => {
    const peers = await api("GET", "/api/v1/agent/peers");
    expect(peers.json.data.map((p: any) => [p.handle, p.type, p.source, p.is_contact])).toEqual([
      ["alice", "User", "registry", false],
      ["alice/reviewer", "Agent", "registry", false],
    ]);
    expect(peers.json.metadata).toEqual({ page: 1, page_size: 20, total_count: 2, total_pages: 1 });
    expect((await api("GET", `/api/v1/agent/peers?not_in_chat=${band.room.id}`)).json.data).toEqual([]);
  });
});

describe("faults", () => {
  it("fails the next matching requests with the envelope and Retry-After, then recovers", async () => {
    band.failNext(2, 429, { path: /\/messages\/next$/, method: "GET", retryAfter: 3 });
    expect((await api("GET", "/api/v1/agent/me")).status).toBe(200);
    expect((await api("POST", chat(band.room.id, "/messages/next"))).status).toBe(404);
    for (let i = 0; i < 2; i++) {
      const limited = await api("GET", chat(band.room.id, "/messages/next"));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("3");
      expect(limited.json.error).toMatchObject({ code: "too_many_requests", request_id: expect.any(String) });
    }
    expect((await api("GET", chat(band.room.id, "/messages/next"))).status).toBe(204);

    band.failNext(1, 503, { code: "maintenance" });
    const down = await api("GET", "/api/v1/agent/me");
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe("maintenance");
    expect(down.headers.get("retry-after")).toBeNull();
    expect(band.requests.map((r) => r.status)).toEqual([200, 404, 429, 429, 204, 503]);
  });

  it("answers malformed JSON with 400", async () => {
    const { status, json } = await api("POST", chat(band.room.id, "/messages"), { rawBody: "{nope" });
    expect(status).toBe(400);
    expect(json.error.code).toBe("bad_request");
  });
});

describe("contacts, memories, tasks", () => {
  it("runs a contact request from an agent to a user through approval", async () => {
    const bob = band.addUser({ name: "Bob Stone", handle: "bob" });
    const add = await api("POST", "/api/v1/agent/contacts/add", { body: { handle: "@bob", message: "hi" } });
    expect(add.status).toBe(201);
    expect(add.json.data).toEqual({ id: expect.any(String), status: "pending" });
    expect((await api("POST", "/api/v1/agent/contacts/add", { body: { handle: "bob" } })).status).toBe(409);
    expect((await api("POST", "/api/v1/agent/contacts/add", { body: { handle: "ghost" } })).status).toBe(404);

    const received = await api("GET", "/api/v1/me/contacts/requests", { key: bob.key });
    expect(received.json.data).toEqual([expect.objectContaining({ id: add.json.data.id, requester_id: band.agent.id, status: "pending" })]);
    const approved = await api("POST", `/api/v1/me/contacts/requests/${add.json.data.id}/approve`, { key: bob.key });
    expect(approved.json.data).toEqual({ id: add.json.data.id, status: "approved" });
    expect((await api("POST", `/api/v1/me/contacts/requests/${add.json.data.id}/approve`, { key: bob.key })).status).toBe(409);

    const contacts = await api("GET", "/api/v1/agent/contacts");
    expect(contacts.json.data).toEqual([expect.objectContaining({ handle: "bob", name: "Bob Stone", type: "User" })]);
    expect(contacts.json.metadata).toEqual({ page: 1, page_size: 20, total_count: 1, total_pages: 1 });
    const requests = await api("GET", "/api/v1/agent/contacts/requests?sent_status=all");
    expect(requests.json.data.sent).toEqual([expect.objectContaining({ to_handle: "bob", status: "approved" })]);
    expect(requests.json.metadata).toMatchObject({ received: { total: 0 }, sent: { total: 1 } });
    expect((await api("POST", "/api/v1/agent/contacts/remove", { body: {} })).status).toBe(400);
    expect((await api("POST", "/api/v1/agent/contacts/remove", { body: { handle: "bob" } })).json.data).toEqual({ status: "removed" });
  });

  it("stores, lists and archives memories with the memory wrapper", async () => {
    const body = { memory: { content: "Alice prefers bullet points", system: "long_term", type: "semantic", segment: "user", thought: "style", subject_id: band.user.id } };
    const made = await api("POST", "/api/v1/agent/memories", { body });
    expect(made.status).toBe(201);
    expect(made.json.data).toMatchObject({ content: "Alice prefers bullet points", scope: "subject", status: "active", source_agent_id: band.agent.id });
    const mismatch = await api("POST", "/api/v1/agent/memories", { body: { memory: { ...body.memory, system: "sensory" } } });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.error.details).toHaveProperty("/memory/type");

    const list = await api("GET", "/api/v1/agent/memories?content_query=bullet");
    expect(list.json.data.map((m: any) => m.id)).toEqual([made.json.data.id]);
    expect(list.json.metadata).toMatchObject({ has_more: false, limit: 20, next_cursor: null });
    expect((await api("POST", `/api/v1/agent/memories/${made.json.data.id}/archive`, { key: band.peer.key })).status).toBe(403);
    expect((await api("POST", `/api/v1/agent/memories/${made.json.data.id}/archive`)).json.data.status).toBe("archived");
    expect((await api("GET", "/api/v1/agent/memories")).json.data).toEqual([]);
    expect((await api("GET", "/api/v1/agent/memories?cursor=x&page=1")).status).toBe(422);

    expect((await api("POST", `/api/v1/me/memories/${made.json.data.id}/restore`, { key: band.user.key })).json.data.status).toBe("active");
    expect((await api("DELETE", `/api/v1/me/memories/${made.json.data.id}`, { key: band.user.key })).status).toBe(204);
  });

  it("runs a task through its lifecycle and keeps the board's goal", async () => {
    const made = await api("POST", chat(band.room.id, "/tasks"), { body: { subject: "Write release notes" } });
    expect(made.status).toBe(201);
    expect(made.json.data).toMatchObject({ number: 1, state: "active", overall_status: "pending", assignments: [], superseded_by_id: null });
    const working = await api("POST", chat(band.room.id, "/tasks/1"), { body: { status: "in_progress", active_form: "Drafting" } });
    expect(working.json.data.overall_status).toBe("in_progress");
    expect(working.json.data.assignments).toEqual([expect.objectContaining({ status: "in_progress", active_form: "Drafting", assignee: expect.objectContaining({ id: band.agent.id }) })]);
    const done = await api("POST", chat(band.room.id, `/tasks/${made.json.data.id}`), { body: { status: "completed", state: "archived" } });
    expect(done.json.data).toMatchObject({ state: "archived", overall_status: "completed" });
    expect((await api("POST", chat(band.room.id, "/tasks/1"), { body: { comment: "late note" } })).status).toBe(422);
    expect((await api("GET", chat(band.room.id, "/tasks"))).json.data).toEqual([]);
    const history = await api("GET", chat(band.room.id, "/tasks/1/history?limit=2"));
    expect(history.json.data.map((e: any) => e.event)).toEqual(["created", "status_changed"]);
    expect(history.json.metadata.has_more).toBe(true);

    const empty = await api("GET", chat(band.room.id, "/board"));
    expect(empty.json.data).toMatchObject({ chat_room_id: band.room.id, goal_title: null, created_by: null });
    const board = await api("PUT", chat(band.room.id, "/board"), { body: { goal_title: "Ship 1.0" } });
    expect(board.json.data).toMatchObject({ goal_title: "Ship 1.0", goal_summary: null, created_by: expect.objectContaining({ id: band.agent.id }) });
  });
});

describe("the human API", () => {
  const me = (path: string, options: { body?: unknown } = {}) => api(options.body === undefined ? "GET" : "POST", `/api/v1/me${path}`, { key: band.user.key, ...options });

  it("serves the profile, chats and messages newest first", async () => {
    expect((await me("/profile")).json.data).toMatchObject({ id: band.user.id, handle: "alice", first_name: "Alice", last_name: "Smith", role: "user" });
    const chats = await me("/chats");
    expect(chats.json.data).toEqual([expect.objectContaining({ id: band.room.id, type: "group", status: "active", last_message_at: null })]);
    expect(chats.json.metadata).toMatchObject({ has_more: false, next_cursor: null });

    const sent = await me(`/chats/${band.room.id}/messages`, { body: { message: { content: "hello", mentions: [{ handle: "alice/helper" }] } } });
    expect(sent.status).toBe(201);
    expect(sent.json.data.recipients).toEqual([{ id: band.agent.id, handle: "alice/helper", name: "Helper" }]);
    fromUser("second");
    const messages = await me(`/chats/${band.room.id}/messages?limit=1`);
    expect(messages.json.data.map((m: any) => m.content)).toEqual([`@[[${band.agent.id}]] second`]);
    const older = await me(`/chats/${band.room.id}/messages?limit=1&cursor=${encodeURIComponent(messages.json.metadata.next_cursor)}`);
    expect(older.json.data.map((m: any) => m.id)).toEqual([sent.json.data.id]);
    expect(older.json.metadata.has_more).toBe(false);
  });

  it("lets the owner add and remove participants, never the last owner", async () => {
    const bob = band.addUser({ name: "Bob", handle: "bob" });
    const path = `/api/v1/me/chats/${band.room.id}/participants`;
    const added = await api("POST", path, { key: band.user.key, body: { participant: { participant_id: bob.id, role: "admin" } } });
    expect(added.status).toBe(201);
    expect(added.json.data).toMatchObject({ id: bob.id, type: "User", role: "admin" });
    const listed = await api("GET", `${path}?participant_type=User`, { key: band.user.key });
    expect(listed.json.data.map((p: any) => p.id)).toEqual([band.user.id, bob.id]);
    expect(listed.json.metadata).toMatchObject({ has_more: false, next_cursor: null, total_count: 2 });
    const soleOwner = await api("DELETE", `${path}/${band.user.id}`, { key: bob.key });
    expect(soleOwner.status).toBe(403);
    expect(soleOwner.json.error.code).toBe("cannot_remove_sole_owner");
    const removed = await api("DELETE", `${path}/${bob.id}`, { key: band.user.key });
    expect(removed.status).toBe(200);
    expect(removed.json.data.id).toBe(bob.id);
    expect((await api("GET", `/api/v1/me/chats/${band.room.id}`, { key: bob.key })).status).toBe(404);
  });

  it("registers an agent whose key works once, and deletes it", async () => {
    const registered = await me("/agents/register", { body: { agent: { name: "Scout", description: "finds things" } } });
    expect(registered.status).toBe(201);
    expect(registered.json.data.credentials.api_key).toMatch(/^band_a_[A-Za-z0-9]{24}$/);
    const scout = await api("GET", "/api/v1/agent/me", { key: registered.json.data.credentials.api_key });
    expect(scout.json.data).toMatchObject({ name: "Scout", handle: "alice/scout", owner_uuid: band.user.id });
    const agents = await me("/agents?sort=name&order=asc");
    expect(agents.json.data.map((a: any) => a.name)).toEqual(["Helper", "Reviewer", "Scout"]);
    expect(agents.json.metadata).toMatchObject({ available_filters: expect.any(Array), sortable_fields: expect.any(Array), has_more: false });

    expect((await api("DELETE", `/api/v1/me/agents/${band.peer.id}`, { key: band.user.key })).status).toBe(422);
    const deleted = await api("DELETE", `/api/v1/me/agents/${registered.json.data.agent.id}`, { key: band.user.key });
    expect(deleted.json.data).toMatchObject({ name: "Scout", executions_deleted: 0 });
    expect((await api("GET", "/api/v1/agent/me", { key: registered.json.data.credentials.api_key })).status).toBe(401);
  });
});

describe("socket pushes", () => {
  /** A bare Phoenix v2 client: connects as an agent, joins topics, collects server pushes. */
  async function connect(agentKey: string, topics: string[]) {
    const ws = new WebSocket(`${band.wsUrl}/websocket?vsn=2.0.0`, { headers: { "x-api-key": agentKey } });
    const frames: unknown[][] = [];
    ws.on("message", (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    let ref = 0;
    const replies: Record<string, string> = {};
    for (const topic of topics) {
      const joinRef = String(++ref);
      ws.send(JSON.stringify([joinRef, joinRef, topic, "phx_join", {}]));
      await waitFor(() => frames.some((f) => f[1] === joinRef && f[3] === "phx_reply"));
      replies[topic] = (frames.find((f) => f[1] === joinRef)![4] as { status: string }).status;
    }
    const events = (event: string) => frames.filter((f) => f[3] === event).map((f) => ({ topic: f[2], payload: f[4] as any, joinRef: f[0] }));
    return { ws, replies, events };
  }

  async function waitFor(condition: () => boolean, timeoutMs = 2000) {
    const start = Date.now();
    while (!condition()) {
      if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it("pushes message_created to mentioned agents only, with the ChatMessage fields", async () => {
    const agent = await connect(band.agent.key, [`chat_room:${band.room.id}`]);
    const peer = await connect(band.peer.key, [`chat_room:${band.room.id}`]);
    const message = fromUser("ping");
    await send(band.room.id, { content: "over to you", mentions: [{ id: band.peer.id }] });
    await waitFor(() => agent.events("message_created").length === 1 && peer.events("message_created").length === 1);

    const [pushed] = agent.events("message_created");
    expect(pushed!.topic).toBe(`chat_room:${band.room.id}`);
    expect(pushed!.joinRef).toBe("1");
    expect(pushed!.payload).toEqual({
      id: message.id,
      content: `@[[${band.agent.id}]] ping`,
      message_type: "text",
      sender_id: band.user.id,
      sender_type: "User",
      sender_name: "Alice Smith",
      chat_room_id: band.room.id,
      metadata: { mentions: [{ id: band.agent.id, handle: "alice/helper", name: "Helper" }] },
      inserted_at: message.inserted_at,
      updated_at: message.updated_at,
    });
    // The agent's own message reached the peer, not the agent.
    expect(peer.events("message_created")[0]!.payload.sender_id).toBe(band.agent.id);
    agent.ws.close();
    peer.ws.close();
  });

  it("pushes room and participant changes, and refuses joins of rooms the agent is not in", async () => {
    const other = band.createRoom({ ownerId: band.user.id, title: "Other" });
    const agent = await connect(band.agent.key, [`agent_rooms:${band.agent.id}`, `room_participants:${band.room.id}`, `chat_room:${other.id}`, `agent_control:${band.peer.id}`]);
    expect(agent.replies).toEqual({
      [`agent_rooms:${band.agent.id}`]: "ok",
      [`room_participants:${band.room.id}`]: "ok",
      [`chat_room:${other.id}`]: "error",
      [`agent_control:${band.peer.id}`]: "error",
    });

    band.addParticipant(other.id, band.agent.id);
    const bob = band.addUser({ name: "Bob", handle: "bob" });
    band.addParticipant(band.room.id, bob.id);
    band.removeParticipant(band.room.id, bob.id);
    band.removeParticipant(other.id, band.agent.id);
    band.deleteRoom(band.room.id);
    await waitFor(() => agent.events("room_deleted").length === 1);

    expect(agent.events("room_added").map((e) => e.payload)).toEqual([expect.objectContaining({ id: other.id, title: "Other", participant_role: "member" })]);
    expect(agent.events("participant_added").map((e) => e.payload)).toEqual([expect.objectContaining({ id: bob.id, name: "Bob", type: "User", handle: "bob" })]);
    expect(agent.events("participant_removed").map((e) => e.payload)).toEqual([{ id: bob.id, type: "User" }]);
    const [removed] = agent.events("room_removed");
    expect(removed!.payload).toMatchObject({ id: other.id, title: "Other", status: "active", type: expect.any(String), removed_at: expect.stringMatching(ISO_MICROS) });
    expect(agent.events("room_deleted")).toEqual([{ topic: `room_participants:${band.room.id}`, payload: { id: band.room.id }, joinRef: "2" }]);
    agent.ws.close();
  });

  it("pushes contact events on agent_contacts", async () => {
    const agent = await connect(band.agent.key, [`agent_contacts:${band.agent.id}`]);
    const bob = band.addUser({ name: "Bob Stone", handle: "bob" });
    const request = await api("POST", "/api/v1/me/contacts/requests", { key: bob.key, body: { contact_request: { recipient_handle: "alice/helper" } } });
    expect(request.status).toBe(201);
    await waitFor(() => agent.events("contact_request_received").length === 1);
    expect(agent.events("contact_request_received")[0]!.payload).toMatchObject({ id: request.json.data.id, from_handle: "bob", from_name: "Bob Stone", status: "pending" });
    await api("POST", "/api/v1/agent/contacts/requests/respond", { body: { action: "approve", handle: "bob" } });
    await waitFor(() => agent.events("contact_added").length === 1);
    expect(agent.events("contact_request_updated")[0]!.payload).toEqual({ id: request.json.data.id, status: "approved" });
    expect(agent.events("contact_added")[0]!.payload).toMatchObject({ handle: "bob", name: "Bob Stone", type: "User" });
    agent.ws.close();
  });
});

describe("scale", () => {
  it("holds 10,000 messages over 200 rooms and drains a room without rescanning", async () => {
    const rooms = Array.from({ length: 200 }, () => band.createRoom({ ownerId: band.user.id, memberIds: [band.agent.id] }).id);
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) fromUser(`load ${i}`, rooms[i % rooms.length]);
    for (const roomId of rooms) {
      const page = await api("GET", chat(roomId, "/messages?limit=100"));
      expect(page.json.data).toHaveLength(50);
    }
    const roomId = rooms[0]!;
    for (;;) {
      const next = await api("GET", chat(roomId, "/messages/next"));
      if (next.status === 204) break;
      await api("POST", chat(roomId, `/messages/${next.json.data.id}/processing`));
      await api("POST", chat(roomId, `/messages/${next.json.data.id}/processed`));
    }
    expect((await api("GET", chat(roomId, "/messages?status=processed&limit=100"))).json.data).toHaveLength(50);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("timestamps", () => {
  it("are ISO-8601 with microseconds and strictly increasing", () => {
    const stamps = Array.from({ length: 50 }, (_, i) => fromUser(`t${i}`).inserted_at);
    for (const stamp of stamps) expect(stamp).toMatch(ISO_MICROS);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
  });
});
