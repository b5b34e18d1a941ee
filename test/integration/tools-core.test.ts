import { beforeEach, describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, connectInMemory, useFakeBand, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
let conn: Connected;
const connect = useFakeBand((started) => (fake = started));

beforeEach(async () => {
  conn = await connect();
});

const run = (name: string, args: Record<string, unknown> = {}) => call(conn.client, name, args);
const requestsTo = (method: string, path: RegExp) => fake.requests.filter((r) => r.method === method && path.test(r.path));
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** A room the agent owns, so owner-only operations work. */
async function ownRoom(title = "Own room"): Promise<string> {
  const created = await run("band_create_chat", { title });
  expect(created.isError).toBe(false);
  return created.structured!.id as string;
}

describe("registry", () => {
  it("exposes every core tool with all four annotations and an output schema", async () => {
    const { tools } = await conn.client.listTools();
    const core = [
      "band_get_me", "band_list_chats", "band_get_chat", "band_create_chat", "band_rename_chat", "band_get_context", "band_list_messages",
      "band_send_message", "band_send_event", "band_report_activity",
      "band_list_participants", "band_add_participant", "band_remove_participant", "band_list_peers",
      "band_get_next_message", "band_mark_processing",
    ];
    for (const name of core) {
      const tool = tools.find((t) => t.name === name);
      expect(tool, name).toBeDefined();
      expect(tool!.outputSchema, name).toBeDefined();
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof tool!.annotations?.[hint], `${name}.${hint}`).toBe("boolean");
      }
    }
  });
});

describe("chats", () => {
  it("band_get_me returns the agent profile", async () => {
    const me = await run("band_get_me");
    expect(me.isError).toBe(false);
    expect(me.structured).toMatchObject({ id: fake.agent.id, handle: fake.agent.handle });
  });

  it("band_list_chats pages with has_more", async () => {
    for (let i = 0; i < 3; i++) fake.createRoom({ title: `Room ${i}`, ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const first = await run("band_list_chats", { page: 1, page_size: 2 });
    expect(first.isError).toBe(false);
    expect(first.structured!.items).toHaveLength(2);
    expect(first.structured).toMatchObject({ has_more: true, next_cursor: null, page: 1, total_pages: 2, total_count: 4 });
    expect(requestsTo("GET", /\/agent\/chats$/).at(-1)!.query).toMatchObject({ page: "1", page_size: "2" });

    const second = await run("band_list_chats", { page: 2, page_size: 2 });
    expect(second.structured).toMatchObject({ has_more: false, page: 2 });
    const ids = [...first.structured!.items, ...second.structured!.items].map((c: { id: string }) => c.id);
    expect(ids).toContain(fake.room.id);
  });

  it("band_get_chat returns the room, and a 404 names band_list_chats", async () => {
    const chat = await run("band_get_chat", { chat_id: fake.room.id });
    expect(chat.structured).toMatchObject({ id: fake.room.id, title: fake.room.title });

    const missing = await run("band_get_chat", { chat_id: UNKNOWN_ID });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("404");
    expect(missing.text).toContain("band_list_chats");
    expect(missing.text).toContain(UNKNOWN_ID);
  });

  it("band_create_chat sends the chat wrapper without undefined fields", async () => {
    const created = await run("band_create_chat", { title: "Planning" });
    expect(created.isError).toBe(false);
    expect(created.structured).toMatchObject({ title: "Planning" });
    expect(requestsTo("POST", /\/agent\/chats$/).at(-1)!.body).toEqual({ chat: { title: "Planning" } });

    const participants = await run("band_list_participants", { chat_id: created.structured!.id });
    expect(participants.structured!.items).toEqual([expect.objectContaining({ id: fake.agent.id, role: "owner" })]);
  });

  it("band_rename_chat renames a room the agent owns and is refused elsewhere", async () => {
    const id = await ownRoom();
    const renamed = await run("band_rename_chat", { chat_id: id, title: "  New name  " });
    expect(renamed.isError).toBe(false);
    expect(renamed.structured).toMatchObject({ id, title: "New name" });
    expect(requestsTo("PATCH", /\/agent\/chats\/[^/]+$/).at(-1)!.body).toEqual({ chat: { title: "New name" } });

    const refused = await run("band_rename_chat", { chat_id: fake.room.id, title: "Mine now" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("403");
  });

  it("band_list_messages renders mentions and follows cursors", async () => {
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "please review", mentions: [fake.agent.id, fake.peer.id] });
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "second", mentions: [fake.agent.id] });

    const first = await run("band_list_messages", { chat_id: fake.room.id, limit: 1 });
    expect(first.isError).toBe(false);
    expect(first.structured!.has_more).toBe(true);
    expect(first.structured!.next_cursor).toEqual(expect.any(String));
    const content = first.structured!.items[0].content as string;
    expect(content).not.toContain("@[[");
    expect(content).toContain(`@${fake.agent.handle}`);
    expect(content).toContain(`@${fake.peer.handle}`);
    expect(content).toContain("please review");

    const second = await run("band_list_messages", { chat_id: fake.room.id, limit: 1, cursor: first.structured!.next_cursor });
    expect(second.structured!.items[0].content).toBe(`@${fake.agent.handle} second`);
    expect(second.structured).toMatchObject({ has_more: false, next_cursor: null });
    expect(requestsTo("GET", /\/messages$/).at(-1)!.query).toMatchObject({ limit: "1", cursor: first.structured!.next_cursor });
  });

  it("band_list_messages filters by status and names band_list_chats on 404", async () => {
    const posted = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "done already", mentions: [fake.agent.id] });
    await run("band_mark_processing", { chat_id: fake.room.id, message_id: posted.id });
    await run("band_send_message", { chat_id: fake.room.id, content: "ok", mentions: ["alice"], reply_to_message_id: posted.id });

    const pending = await run("band_list_messages", { chat_id: fake.room.id });
    expect(pending.structured!.items.map((m: { id: string }) => m.id)).not.toContain(posted.id);
    const processed = await run("band_list_messages", { chat_id: fake.room.id, status: "processed" });
    expect(processed.structured!.items.map((m: { id: string }) => m.id)).toContain(posted.id);

    const missing = await run("band_list_messages", { chat_id: UNKNOWN_ID });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("band_list_chats");
  });

  it("band_get_context returns the agent's history with mentions rendered", async () => {
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "hello there", mentions: [fake.agent.id] });
    await run("band_send_message", { chat_id: fake.room.id, content: "hi", mentions: ["@alice/reviewer"] });

    const context = await run("band_get_context", { chat_id: fake.room.id, limit: 10 });
    expect(context.isError).toBe(false);
    const contents = context.structured!.items.map((m: { content: string }) => m.content);
    expect(contents).toEqual([`@${fake.agent.handle} hello there`, `@${fake.peer.handle} hi`]);
    expect(context.structured).toMatchObject({ has_more: false, next_cursor: null });
  });
});

describe("band_send_message", () => {
  it("resolves mentions by handle, @handle, display name and id, and sends the message wrapper", async () => {
    const sent = await run("band_send_message", {
      chat_id: fake.room.id,
      content: "Status update",
      mentions: [fake.user.handle, `@${fake.peer.handle}`],
    });
    expect(sent.isError).toBe(false);
    expect(sent.structured!.message_id).toEqual(expect.any(String));
    expect(sent.structured!.recipients.map((r: { id: string }) => r.id).sort()).toEqual([fake.user.id, fake.peer.id].sort());
    expect(sent.structured!.marked_processed).toBeUndefined();

    const body = requestsTo("POST", /\/messages$/).at(-1)!.body as { message: { content: string; mentions: Record<string, unknown>[] } };
    expect(body.message.content).toBe("Status update");
    expect(body.message.mentions).toEqual([
      { id: fake.user.id, handle: fake.user.handle, name: fake.user.name },
      { id: fake.peer.id, handle: fake.peer.handle, name: fake.peer.name },
    ]);
    expect(JSON.stringify(body)).not.toContain("null");
    expect(fake.messages(fake.room.id).at(-1)).toMatchObject({ id: sent.structured!.message_id, sender_id: fake.agent.id });

    const byNameAndId = await run("band_send_message", { chat_id: fake.room.id, content: "again", mentions: [fake.peer.name, fake.user.id] });
    expect(byNameAndId.isError).toBe(false);
    expect(byNameAndId.structured!.recipients).toHaveLength(2);

    // The agent's own id is fetched once, not on every send.
    expect(requestsTo("GET", /\/agent\/me$/)).toHaveLength(1);
  });

  it("lists who is in the room when a mention cannot be resolved, and sends nothing", async () => {
    const before = fake.messages(fake.room.id).length;
    const sent = await run("band_send_message", { chat_id: fake.room.id, content: "hi", mentions: ["@nobody"] });
    expect(sent.isError).toBe(true);
    expect(sent.text).toContain('"@nobody" is not in this room');
    expect(sent.text).toContain(`@${fake.peer.handle}`);
    expect(sent.text).toContain(`@${fake.user.handle}`);
    expect(fake.messages(fake.room.id)).toHaveLength(before);
    expect(requestsTo("POST", /\/messages$/)).toHaveLength(0);
  });

  it("refuses to mention the agent itself", async () => {
    const sent = await run("band_send_message", { chat_id: fake.room.id, content: "hi", mentions: [fake.agent.handle] });
    expect(sent.isError).toBe(true);
    expect(sent.text).toContain("cannot mention itself");
  });

  it("marks reply_to_message_id processed after sending, claiming it first when needed", async () => {
    const question = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "question?", mentions: [fake.agent.id] });
    const sent = await run("band_send_message", {
      chat_id: fake.room.id,
      content: "answer",
      mentions: ["alice"],
      reply_to_message_id: question.id,
    });
    expect(sent.isError).toBe(false);
    expect(sent.structured).toMatchObject({ marked_processed: true });
    expect(fake.delivery(question.id, fake.agent.id).status).toBe("processed");
    // Band refuses /processed without an open attempt (422), so the tool claimed it and marked it again.
    expect(requestsTo("POST", new RegExp(`/messages/${question.id}/`)).map((r) => `${r.path.split("/").at(-1)} ${r.status}`)).toEqual([
      "processed 422",
      "processing 200",
      "processed 200",
    ]);
  });

  it("band_mark_processed and band_mark_failed work without the live inbox, claiming first when needed", async () => {
    const done = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "done?", mentions: [fake.agent.id] });
    const marked = await run("band_mark_processed", { chat_id: fake.room.id, message_id: done.id });
    expect(marked.isError, marked.text).toBe(false);
    expect(fake.delivery(done.id, fake.agent.id).status).toBe("processed");
    const broken = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "broken?", mentions: [fake.agent.id] });
    const failed = await run("band_mark_failed", { chat_id: fake.room.id, message_id: broken.id, error: "no can do" });
    expect(failed.structured).toMatchObject({ id: broken.id, status: "failed" });
    expect(fake.delivery(broken.id, fake.agent.id).attempts.at(-1)?.error).toBe("no can do");
  });

  it("marks a claimed message processed without opening another attempt", async () => {
    const question = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "question?", mentions: [fake.agent.id] });
    const claimed = await run("band_mark_processing", { chat_id: fake.room.id, message_id: question.id });
    expect(claimed.structured).toMatchObject({ id: question.id, status: "processing", attempt_number: 1 });

    await run("band_send_message", { chat_id: fake.room.id, content: "answer", mentions: ["alice"], reply_to_message_id: question.id });
    const delivery = fake.delivery(question.id, fake.agent.id);
    expect(delivery.status).toBe("processed");
    expect(delivery.attempts).toHaveLength(1);
  });

  it("still reports the sent message when marking the replied-to message fails", async () => {
    const sent = await run("band_send_message", {
      chat_id: fake.room.id,
      content: "answer",
      mentions: ["alice"],
      reply_to_message_id: UNKNOWN_ID,
    });
    expect(sent.isError).toBe(false);
    expect(sent.structured).toMatchObject({ marked_processed: false });
    expect(sent.structured!.mark_error).toContain("band_mark_processed");
    expect(sent.structured!.mark_error).toContain(UNKNOWN_ID);
    expect(fake.messages(fake.room.id).at(-1)!.id).toBe(sent.structured!.message_id);
  });

  it("explains Band's 422 codes", async () => {
    fake.failNext(1, 422, { method: "POST", path: /\/messages$/, code: "mentioned_participant_not_in_room" });
    const sent = await run("band_send_message", { chat_id: fake.room.id, content: "hi", mentions: ["alice"] });
    expect(sent.isError).toBe(true);
    expect(sent.text).toContain("mentioned_participant_not_in_room");
    expect(sent.text).toContain("band_add_participant");
  });

  it("does not retry a failed send (a POST may have landed)", async () => {
    fake.failNext(1, 500, { method: "POST", path: /\/messages$/ });
    const sent = await run("band_send_message", { chat_id: fake.room.id, content: "hi", mentions: ["alice"] });
    expect(sent.isError).toBe(true);
    expect(sent.text).toContain("500");
    expect(requestsTo("POST", /\/messages$/)).toHaveLength(1);
  });

  it("names band_list_chats when the chat does not exist", async () => {
    const sent = await run("band_send_message", { chat_id: UNKNOWN_ID, content: "hi", mentions: ["alice"] });
    expect(sent.isError).toBe(true);
    expect(sent.text).toContain("band_list_chats");
  });
});

describe("events and activity", () => {
  it("band_send_event posts the event wrapper", async () => {
    const event = await run("band_send_event", {
      chat_id: fake.room.id,
      message_type: "tool_call",
      content: "Searching the docs",
      metadata: { function: { name: "search", arguments: { q: "x" } }, id: "call_1", type: "function" },
    });
    expect(event.isError).toBe(false);
    expect(event.structured).toMatchObject({ id: expect.any(String), message_type: "tool_call" });
    expect(requestsTo("POST", /\/events$/).at(-1)!.body).toEqual({
      event: {
        content: "Searching the docs",
        message_type: "tool_call",
        metadata: { function: { name: "search", arguments: { q: "x" } }, id: "call_1", type: "function" },
      },
    });

    await run("band_send_event", { chat_id: fake.room.id, message_type: "thought", content: "hmm" });
    expect(requestsTo("POST", /\/events$/).at(-1)!.body).toEqual({ event: { content: "hmm", message_type: "thought" } });
  });

  it("band_send_event rejects an unknown message_type as a tool error", async () => {
    const event = await run("band_send_event", { chat_id: fake.room.id, message_type: "text", content: "x" });
    expect(event.isError).toBe(true);
    expect(requestsTo("POST", /\/events$/)).toHaveLength(0);
  });

  it("band_report_activity sends the working flag unwrapped", async () => {
    const activity = await run("band_report_activity", { chat_id: fake.room.id, working: true });
    expect(requestsTo("POST", /\/activity$/).at(-1)!.body).toEqual({ working: true });
    expect(activity.isError).toBe(false);
    expect(activity.structured).toEqual({ working: true });
  });
});

describe("participants", () => {
  it("band_list_participants lists the room", async () => {
    const list = await run("band_list_participants", { chat_id: fake.room.id });
    expect(list.isError).toBe(false);
    const ids = list.structured!.items.map((p: { id: string }) => p.id).sort();
    expect(ids).toEqual([fake.agent.id, fake.user.id, fake.peer.id].sort());
    expect(list.structured).toMatchObject({ has_more: false, next_cursor: null });
  });

  it("band_list_peers lists who can be added, optionally leaving out a room's members", async () => {
    const all = await run("band_list_peers");
    expect(all.isError).toBe(false);
    expect(all.structured!.items.map((p: { id: string }) => p.id)).toContain(fake.peer.id);
    expect(typeof all.structured!.has_more).toBe("boolean");

    const outside = await run("band_list_peers", { not_in_chat: fake.room.id });
    expect(outside.structured!.items.map((p: { id: string }) => p.id)).not.toContain(fake.peer.id);
    expect(requestsTo("GET", /\/agent\/peers$/).at(-1)!.query).toMatchObject({ not_in_chat: fake.room.id });
  });

  it("band_add_participant adds by handle, and the newcomer can be mentioned at once", async () => {
    const room = await ownRoom();
    // Fill the participant cache before the add, so the test proves the add updates it.
    await run("band_list_participants", { chat_id: room });

    const added = await run("band_add_participant", { chat_id: room, participant: `@${fake.peer.handle}` });
    expect(added.isError).toBe(false);
    expect(added.structured).toMatchObject({ id: fake.peer.id });
    expect(requestsTo("POST", /\/participants$/).at(-1)!.body).toEqual({ participant: { participant_id: fake.peer.id } });

    const sent = await run("band_send_message", { chat_id: room, content: "welcome", mentions: [fake.peer.handle] });
    expect(sent.isError).toBe(false);
  });

  it("band_add_participant passes ids through and sends the role", async () => {
    const room = await ownRoom();
    const added = await run("band_add_participant", { chat_id: room, participant: fake.peer.id, role: "admin" });
    expect(added.isError).toBe(false);
    expect(requestsTo("POST", /\/participants$/).at(-1)!.body).toEqual({ participant: { participant_id: fake.peer.id, role: "admin" } });
    expect(requestsTo("GET", /\/agent\/peers$/)).toHaveLength(0);
  });

  it("band_remove_participant removes by handle", async () => {
    const room = await ownRoom();
    await run("band_add_participant", { chat_id: room, participant: fake.peer.id });

    const removed = await run("band_remove_participant", { chat_id: room, participant: fake.peer.handle });
    expect(removed.isError).toBe(false);
    expect(removed.structured).toMatchObject({ id: fake.peer.id });
    expect(requestsTo("DELETE", new RegExp(`/participants/${fake.peer.id}$`))).toHaveLength(1);

    const list = await run("band_list_participants", { chat_id: room });
    expect(list.structured!.items.map((p: { id: string }) => p.id)).toEqual([fake.agent.id]);

    const again = await run("band_send_message", { chat_id: room, content: "still there?", mentions: [fake.peer.handle] });
    expect(again.isError).toBe(true);
    expect(again.text).toContain("not in this room");
  });
});

describe("processing", () => {
  it("band_get_next_message reports an empty queue clearly", async () => {
    const room = await ownRoom();
    const next = await run("band_get_next_message", { chat_id: room });
    expect(next.isError).toBe(false);
    expect(next.structured).toEqual({ message: null, nothing_to_process: true });
  });

  it("band_get_next_message returns the oldest unprocessed message rendered; band_mark_processing claims it", async () => {
    const first = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "first", mentions: [fake.agent.id] });
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "second", mentions: [fake.agent.id] });

    const next = await run("band_get_next_message", { chat_id: fake.room.id });
    expect(next.structured).toMatchObject({ nothing_to_process: false, message: { id: first.id, content: `@${fake.agent.handle} first` } });

    const claimed = await run("band_mark_processing", { chat_id: fake.room.id, message_id: first.id });
    expect(claimed.structured).toMatchObject({ id: first.id, status: "processing", attempt_number: 1 });
    expect(fake.delivery(first.id, fake.agent.id).status).toBe("processing");

    const reclaimed = await run("band_mark_processing", { chat_id: fake.room.id, message_id: first.id });
    expect(reclaimed.structured).toMatchObject({ attempt_number: 2 });
  });

  it("band_mark_processing names the id sources on 404", async () => {
    const marked = await run("band_mark_processing", { chat_id: fake.room.id, message_id: UNKNOWN_ID });
    expect(marked.isError).toBe(true);
    expect(marked.text).toContain("band_list_messages");
  });
});

describe("failures", () => {
  it("a rejected key names BAND_API_KEY", async () => {
    const bad = await connectInMemory(fake, { BAND_API_KEY: "band_a_not-a-real-key" });
    try {
      const result = await call(bad.client, "band_list_chats");
      expect(result.isError).toBe(true);
      expect(result.text).toContain("401");
      expect(result.text).toContain("BAND_API_KEY");
      expect(result.text).not.toContain("not-a-real-key");
    } finally {
      await bad.close();
    }
  });

  it("wrong-typed arguments are an error result, not a protocol failure", async () => {
    const result = await run("band_get_chat", { chat_id: 42 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/chat_id/);
    const missing = await run("band_send_message", { chat_id: fake.room.id, content: "x" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/mentions/);
  });

  it("a 500 on a GET is retried and succeeds", async () => {
    fake.failNext(1, 500, { method: "GET", path: /\/agent\/chats$/ });
    const result = await run("band_list_chats");
    expect(result.isError).toBe(false);
    expect(requestsTo("GET", /\/agent\/chats$/).map((r) => r.status)).toEqual([500, 200]);
  });
});
