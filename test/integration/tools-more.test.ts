import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { call, connectInMemory, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
let conn: Connected;
const extra: Connected[] = [];

beforeEach(async () => {
  fake = await startFakeBand();
  conn = await connectInMemory(fake, { BAND_USER_KEY: fake.user.key });
  // Listing the tools makes the SDK client check every structured result against the tool's output schema.
  await conn.client.listTools();
});

afterEach(async () => {
  for (const c of extra.splice(0)) await c.close();
  await conn?.close();
  await fake?.close();
});

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** Calls a tool and fails the test, with the tool's own text, if the result is an error. */
async function ok(name: string, args: Record<string, unknown> = {}, client = conn.client): Promise<Record<string, any>> {
  const outcome = await call(client, name, args);
  expect(outcome.isError, `${name}: ${outcome.text}`).toBe(false);
  expect(outcome.structured, name).toBeDefined();
  return outcome.structured!;
}

const fail = (name: string, args: Record<string, unknown> = {}) => call(conn.client, name, args);
const lastRequest = (method: string, path: RegExp) => fake.requests.filter((r) => r.method === method && path.test(r.path)).at(-1);
const countRequests = (path: RegExp) => fake.requests.filter((r) => path.test(r.path)).length;

/** Another MCP session holding only some user's key, as that user. */
async function asUser(user: { key: string }): Promise<Connected["client"]> {
  const other = await connectInMemory(fake, { BAND_API_KEY: "", BAND_USER_KEY: user.key });
  extra.push(other);
  await other.client.listTools();
  return other.client;
}

describe("tool surface", () => {
  it("hides the human toolset without BAND_USER_KEY, and shows the agent toolsets", async () => {
    const agentOnly = await connectInMemory(fake);
    extra.push(agentOnly);
    const names = (await agentOnly.client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => n.startsWith("band_me_"))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["band_list_contacts", "band_create_memory", "band_update_task", "band_set_board"]));
  });

  it("shows only the 29 human tools with a user key alone, each with output schema and annotations", async () => {
    const userOnly = await connectInMemory(fake, { BAND_API_KEY: "", BAND_USER_KEY: fake.user.key });
    extra.push(userOnly);
    const { tools } = await userOnly.client.listTools();
    expect(tools.every((t) => t.name.startsWith("band_me_"))).toBe(true);
    expect(tools).toHaveLength(29);
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(Object.keys(tool.annotations ?? {}), tool.name).toEqual(
        expect.arrayContaining(["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]),
      );
    }
    expect(tools.find((t) => t.name === "band_me_delete_memory")!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(tools.find((t) => t.name === "band_me_list_chats")!.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
  });
});

describe("contacts", () => {
  it("sends a request by handle, lists it, and sees the contact once the user approves", async () => {
    const added = await ok("band_add_contact", { handle: `@${fake.user.handle}`, message: "Work together?" });
    expect(added).toMatchObject({ status: "pending" });
    expect(lastRequest("POST", /\/agent\/contacts\/add$/)!.body).toEqual({ handle: fake.user.handle, message: "Work together?" });

    const requests = await ok("band_list_contact_requests");
    expect(requests).toMatchObject({ received: [], has_more: false, page: 1, sent_total: 1, received_total: 0 });
    expect(requests.sent[0]).toMatchObject({ id: added.id, to_handle: fake.user.handle, status: "pending" });

    const received = await ok("band_me_list_received_contact_requests");
    expect(received.items.map((r: { id: string }) => r.id)).toEqual([added.id]);
    expect(await ok("band_me_approve_contact_request", { request_id: added.id })).toEqual({ id: added.id, status: "approved" });
    expect(lastRequest("POST", /\/me\/contacts\/requests\/[^/]+\/approve$/)!.body).toBeUndefined();

    const contacts = await ok("band_list_contacts", { page: 1, page_size: 10 });
    expect(contacts).toMatchObject({ has_more: false, next_cursor: null, page: 1, total_count: 1, total_pages: 1 });
    expect(contacts.items[0]).toMatchObject({ handle: fake.user.handle, type: "User" });
    expect(lastRequest("GET", /\/agent\/contacts$/)!.query).toEqual({ page: "1", page_size: "10" });
  });

  it("reports a 409 when adding someone who is already a contact", async () => {
    const { id } = await ok("band_add_contact", { handle: fake.user.handle });
    await ok("band_me_approve_contact_request", { request_id: id });

    const again = await fail("band_add_contact", { handle: fake.user.handle });
    expect(again.isError).toBe(true);
    expect(again.text).toContain("409");
    expect(again.text).toMatch(/already/i);
  });

  it("removes a contact by its record id, and refuses a removal that names nobody without calling Band", async () => {
    const { id } = await ok("band_add_contact", { handle: fake.user.handle });
    await ok("band_me_approve_contact_request", { request_id: id });
    const contactId = (await ok("band_list_contacts")).items[0].id as string;

    expect(await ok("band_remove_contact", { contact_id: contactId })).toEqual({ status: "removed" });
    expect(lastRequest("POST", /\/agent\/contacts\/remove$/)!.body).toEqual({ contact_id: contactId });
    expect((await ok("band_list_contacts")).items).toEqual([]);
    expect((await ok("band_me_list_contacts")).items).toEqual([]);

    const before = countRequests(/\/contacts\/remove$/);
    const nothing = await fail("band_remove_contact", {});
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toMatch(/handle, contact_id/);
    expect(countRequests(/\/contacts\/remove$/)).toBe(before);

    const gone = await fail("band_remove_contact", { contact_id: contactId });
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain("band_list_contacts");
  });

  it("rejects a received request by handle, and a second answer is a conflict", async () => {
    const bob = fake.addUser({ name: "Bob Builder", handle: "bob" });
    const bobClient = await asUser(bob);
    const sent = await ok("band_me_send_contact_request", { handle: `@${fake.agent.handle}`, message: "Hi helper" }, bobClient);
    expect(sent.request).toMatchObject({ status: "pending", recipient_id: fake.agent.id });
    expect(lastRequest("POST", /\/me\/contacts\/requests$/)!.body).toEqual({ contact_request: { recipient_handle: fake.agent.handle, message: "Hi helper" } });

    const received = (await ok("band_list_contact_requests")).received;
    expect(received).toEqual([expect.objectContaining({ id: sent.request.id, from_handle: "bob", message: "Hi helper" })]);

    expect(await ok("band_respond_contact_request", { action: "reject", handle: "@bob" })).toEqual({ id: sent.request.id, status: "rejected" });
    expect(lastRequest("POST", /\/agent\/contacts\/requests\/respond$/)!.body).toEqual({ action: "reject", handle: "bob" });

    const again = await fail("band_respond_contact_request", { action: "approve", request_id: sent.request.id });
    expect(again.isError).toBe(true);
    expect(again.text).toContain("409");

    const neither = await fail("band_respond_contact_request", { action: "approve" });
    expect(neither.isError).toBe(true);
    expect(neither.text).toMatch(/request_id, handle/);

    const rejected = await ok("band_me_list_sent_contact_requests", { status: "rejected" }, bobClient);
    expect(rejected.items).toEqual([expect.objectContaining({ id: sent.request.id, status: "rejected" })]);
  });
});

describe("memories", () => {
  const fact = (content: string, extra: Record<string, unknown> = {}) => ({
    content,
    system: "long_term",
    type: "semantic",
    segment: "user",
    thought: "Useful for later",
    subject_id: fake.user.id,
    ...extra,
  });

  it("stores a memory in the memory wrapper and reads it back", async () => {
    const { memory } = await ok("band_create_memory", fact("Alice prefers short answers", { tags: ["style"] }));
    expect(memory).toMatchObject({ content: "Alice prefers short answers", status: "active", scope: "subject", subject_id: fake.user.id });
    expect(lastRequest("POST", /\/agent\/memories$/)!.body).toEqual({
      memory: {
        content: "Alice prefers short answers",
        system: "long_term",
        type: "semantic",
        segment: "user",
        thought: "Useful for later",
        scope: "subject",
        subject_id: fake.user.id,
        metadata: { tags: ["style"] },
      },
    });
    expect((await ok("band_get_memory", { memory_id: memory.id })).memory).toMatchObject({ id: memory.id, metadata: { tags: ["style"] } });
  });

  it("needs a subject for subject-scoped memories, but not for organisation-wide ones", async () => {
    const before = countRequests(/\/agent\/memories$/);
    const missing = await fail("band_create_memory", { ...fact("No subject"), subject_id: undefined });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("subject_id");
    expect(countRequests(/\/agent\/memories$/)).toBe(before);

    const org = await ok("band_create_memory", { ...fact("Deploys happen on Fridays"), subject_id: undefined, scope: "organization" });
    expect(org.memory).toMatchObject({ scope: "organization", subject_id: null });
    expect((lastRequest("POST", /\/agent\/memories$/)!.body as { memory: object }).memory).not.toHaveProperty("subject_id");
  });

  it("searches with filters and cursor pages", async () => {
    for (const n of [1, 2, 3]) await ok("band_create_memory", fact(`Project note ${n}`));
    await ok("band_create_memory", fact("Unrelated", { system: "sensory", type: "iconic" }));

    const first = await ok("band_list_memories", { subject_id: fake.user.id, content_query: "project", limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first).toMatchObject({ has_more: true });
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(lastRequest("GET", /\/agent\/memories$/)!.query).toEqual({ subject_id: fake.user.id, content_query: "project", limit: "2" });

    const second = await ok("band_list_memories", { subject_id: fake.user.id, content_query: "project", limit: 2, cursor: first.next_cursor });
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    const contents = [...first.items, ...second.items].map((m: { content: string }) => m.content).sort();
    expect(contents).toEqual(["Project note 1", "Project note 2", "Project note 3"]);

    const sensory = await ok("band_list_memories", { system: "sensory" });
    expect(sensory.items.map((m: { content: string }) => m.content)).toEqual(["Unrelated"]);
  });

  it("supersedes and archives its own memories, and a 404 names band_list_memories", async () => {
    const a = (await ok("band_create_memory", fact("Old fact"))).memory;
    const b = (await ok("band_create_memory", fact("Stale fact"))).memory;
    expect((await ok("band_supersede_memory", { memory_id: a.id })).memory).toMatchObject({ id: a.id, status: "superseded" });
    expect((await ok("band_archive_memory", { memory_id: b.id })).memory).toMatchObject({ id: b.id, status: "archived" });
    expect(lastRequest("POST", /\/agent\/memories\/[^/]+\/archive$/)!.path).toBe(`/api/v1/agent/memories/${b.id}/archive`);
    expect((await ok("band_list_memories", {})).items).toEqual([]);
    expect((await ok("band_list_memories", { status: "all" })).items).toHaveLength(2);

    const missing = await fail("band_get_memory", { memory_id: UNKNOWN_ID });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("404");
    expect(missing.text).toContain(`memory_id "${UNKNOWN_ID}"`);
    expect(missing.text).toContain("band_list_memories");
  });

  it("lets the user see, archive, restore, supersede and delete memories about them", async () => {
    const kept = (await ok("band_create_memory", fact("Alice likes tea"))).memory;
    const dropped = (await ok("band_create_memory", fact("Alice lives in Paris"))).memory;

    const mine = await ok("band_me_list_memories", { scope: "about_me", limit: 1 });
    expect(mine).toMatchObject({ has_more: true });
    expect(lastRequest("GET", /\/me\/memories$/)!.query).toEqual({ scope: "about_me", limit: "1" });
    expect((await ok("band_me_get_memory", { memory_id: kept.id })).memory).toMatchObject({ id: kept.id, content: "Alice likes tea" });

    expect((await ok("band_me_archive_memory", { memory_id: kept.id })).memory).toMatchObject({ status: "archived" });
    expect((await ok("band_me_restore_memory", { memory_id: kept.id })).memory).toMatchObject({ status: "active" });
    expect((await ok("band_me_supersede_memory", { memory_id: kept.id })).memory).toMatchObject({ status: "superseded" });

    expect(await ok("band_me_delete_memory", { memory_id: dropped.id })).toEqual({ memory_id: dropped.id, deleted: true });
    expect(lastRequest("DELETE", /\/me\/memories\//)!.status).toBe(204);
    const gone = await fail("band_me_get_memory", { memory_id: dropped.id });
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain("band_me_list_memories");

    await ok("band_me_list_memories", { chat_id: fake.room.id });
    expect(lastRequest("GET", /\/me\/memories$/)!.query).toEqual({ chat_room_id: fake.room.id });
  });
});

describe("tasks and board", () => {
  it("creates, reads by number, updates and traces a task with unwrapped bodies", async () => {
    const { task } = await ok("band_create_task", { chat_id: fake.room.id, subject: "Write the report", detail: "Two pages" });
    expect(task).toMatchObject({ number: 1, subject: "Write the report", detail: "Two pages", state: "active", assignments: [] });
    expect(lastRequest("POST", /\/tasks$/)!.body).toEqual({ subject: "Write the report", detail: "Two pages" });

    const updated = await ok("band_update_task", { chat_id: fake.room.id, task_id: "1", status: "in_progress", comment: "On it" });
    expect(updated.task.assignments).toEqual([expect.objectContaining({ status: "in_progress", assignee: expect.objectContaining({ id: fake.agent.id }) })]);
    expect(lastRequest("POST", /\/tasks\/1$/)!.body).toEqual({ status: "in_progress", comment: "On it" });

    const withHistory = await ok("band_get_task", { chat_id: fake.room.id, task_id: task.id, include_history: true });
    expect(lastRequest("GET", /\/tasks\/[^/]+$/)!.query).toEqual({ include: "history" });
    expect(withHistory.task.history.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(["created", "status_changed", "commented"]));

    const history = await ok("band_get_task_history", { chat_id: fake.room.id, task_id: "1", limit: 1 });
    expect(history).toMatchObject({ has_more: true });
    expect(history.items[0]).toMatchObject({ event: "created" });
  });

  it("lists tasks by state with cursor pages, and supersedes one task with another", async () => {
    for (const subject of ["A", "B", "C"]) await ok("band_create_task", { chat_id: fake.room.id, subject });
    const first = await ok("band_list_tasks", { chat_id: fake.room.id, limit: 2 });
    expect(first.items.map((t: { subject: string }) => t.subject)).toEqual(["A", "B"]);
    expect(first).toMatchObject({ has_more: true });
    const second = await ok("band_list_tasks", { chat_id: fake.room.id, limit: 2, cursor: first.next_cursor });
    expect(second.items.map((t: { subject: string }) => t.subject)).toEqual(["C"]);
    expect(second).toMatchObject({ has_more: false, next_cursor: null });

    await ok("band_create_task", { chat_id: fake.room.id, subject: "A, done properly", supersedes_id: "1" });
    expect((await ok("band_list_tasks", { chat_id: fake.room.id, state: "superseded" })).items.map((t: { number: number }) => t.number)).toEqual([1]);
    expect(lastRequest("GET", /\/tasks$/)!.query).toEqual({ state: "superseded" });
  });

  it("refuses an empty update without calling Band, and a 404 names band_list_tasks", async () => {
    const before = fake.requests.length;
    const empty = await fail("band_update_task", { chat_id: fake.room.id, task_id: "1" });
    expect(empty.isError).toBe(true);
    expect(empty.text).toContain("status");
    expect(fake.requests.length).toBe(before);

    const missing = await fail("band_get_task", { chat_id: fake.room.id, task_id: "99" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("404");
    expect(missing.text).toContain("band_list_tasks");
  });

  it("reads and sets the room goal", async () => {
    expect((await ok("band_get_board", { chat_id: fake.room.id })).board).toMatchObject({ chat_room_id: fake.room.id, goal_title: null, goal_summary: null });
    const set = await ok("band_set_board", { chat_id: fake.room.id, goal_title: "Ship v1" });
    expect(set.board).toMatchObject({ goal_title: "Ship v1", goal_summary: null });
    expect(lastRequest("PUT", /\/board$/)!.body).toEqual({ goal_title: "Ship v1" });
    const board = await ok("band_get_board", { chat_id: fake.room.id, include_history: true });
    expect(board.board.history).toEqual([expect.objectContaining({ event: "goal_set" })]);

    const empty = await fail("band_set_board", { chat_id: fake.room.id });
    expect(empty.isError).toBe(true);
    const missing = await fail("band_get_board", { chat_id: UNKNOWN_ID });
    expect(missing.text).toContain("band_list_chats");
  });
});

describe("human: profile and agents", () => {
  it("reads and updates the profile in the user wrapper", async () => {
    expect((await ok("band_me_get_profile")).profile).toMatchObject({ id: fake.user.id, handle: fake.user.handle, role: "user" });
    const updated = await ok("band_me_update_profile", { first_name: "Alicia" });
    expect(updated.profile).toMatchObject({ first_name: "Alicia" });
    expect(lastRequest("PUT", /\/me\/profile$/)!.body).toEqual({ user: { first_name: "Alicia" } });
    expect((await fail("band_me_update_profile", {})).isError).toBe(true);
  });

  it("registers an agent, returning its one-time key, then lists and deletes it", async () => {
    const registered = await ok("band_me_register_agent", { name: "Scout", description: "Finds things" });
    expect(registered.api_key).toMatch(/^band_a_/);
    expect(registered.agent).toMatchObject({ name: "Scout", description: "Finds things" });
    expect(lastRequest("POST", /\/me\/agents\/register$/)!.body).toEqual({ agent: { name: "Scout", description: "Finds things" } });

    const page = await ok("band_me_list_agents", { sort: "name", order: "asc", limit: 1 });
    expect(page.items.map((a: { name: string }) => a.name)).toEqual([fake.agent.name < "Scout" ? fake.agent.name : "Scout"]);
    expect(page).toMatchObject({ has_more: true });
    const scouts = await ok("band_me_list_agents", { name: "scout" });
    expect(scouts.items.map((a: { id: string }) => a.id)).toEqual([registered.agent.id]);

    const deleted = await ok("band_me_delete_agent", { agent_id: registered.agent.id });
    expect(deleted.agent).toMatchObject({ id: registered.agent.id, executions_deleted: 0 });
    const again = await fail("band_me_delete_agent", { agent_id: registered.agent.id });
    expect(again.isError).toBe(true);
    expect(again.text).toContain("band_me_list_agents");
  });

  it("passes force through when deleting an agent with history", async () => {
    const refused = await fail("band_me_delete_agent", { agent_id: fake.peer.id });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("422");
    const forced = await ok("band_me_delete_agent", { agent_id: fake.peer.id, force: true });
    expect(forced.agent.executions_deleted).toBeGreaterThan(0);
    expect(lastRequest("DELETE", /\/me\/agents\//)!.query).toEqual({ force: "true" });
  });
});

describe("human: contacts", () => {
  it("resolves handles, sends, lists, cancels and removes", async () => {
    const carol = fake.addUser({ name: "Carol Jones", handle: "carol" });
    expect(await ok("band_me_resolve_handle", { handle: "@carol" })).toEqual({ handle: "carol", name: "Carol Jones", type: "User" });
    expect(lastRequest("POST", /\/me\/contacts\/resolve$/)!.body).toEqual({ handle: "carol" });
    const unknown = await fail("band_me_resolve_handle", { handle: "nobody-here" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain("404");

    const sent = (await ok("band_me_send_contact_request", { handle: "carol" })).request;
    expect(lastRequest("POST", /\/me\/contacts\/requests$/)!.body).toEqual({ contact_request: { recipient_handle: "carol" } });
    const pending = await ok("band_me_list_sent_contact_requests", { status: "pending", page: 1, page_size: 5 });
    expect(pending).toMatchObject({ has_more: false, total_count: 1 });
    expect(await ok("band_me_cancel_contact_request", { request_id: sent.id })).toEqual({ id: sent.id, status: "cancelled" });
    expect(lastRequest("DELETE", /\/me\/contacts\/requests\//)!.path).toBe(`/api/v1/me/contacts/requests/${sent.id}`);

    const carolClient = await asUser(carol);
    const second = (await ok("band_me_send_contact_request", { handle: "carol" })).request;
    expect((await ok("band_me_list_received_contact_requests", {}, carolClient)).items.map((r: { id: string }) => r.id)).toEqual([second.id]);
    await ok("band_me_approve_contact_request", { request_id: second.id }, carolClient);

    const contacts = await ok("band_me_list_contacts");
    expect(contacts.items).toEqual([expect.objectContaining({ contact_id: carol.id, contact_type: "User" })]);
    expect(await ok("band_me_remove_contact", { handle: "@carol" })).toEqual({ status: "removed" });
    expect(lastRequest("POST", /\/me\/contacts\/remove$/)!.body).toEqual({ handle: "carol" });
  });

  it("rejects a received request", async () => {
    const dave = fake.addUser({ handle: "dave" });
    const request = (await ok("band_me_send_contact_request", { handle: fake.user.handle }, await asUser(dave))).request;
    expect(await ok("band_me_reject_contact_request", { request_id: request.id })).toEqual({ id: request.id, status: "rejected" });
    const missing = await fail("band_me_reject_contact_request", { request_id: UNKNOWN_ID });
    expect(missing.text).toContain("band_me_list_received_contact_requests");
  });
});

describe("human: chats, messages and participants", () => {
  it("creates a chat in the chat wrapper, lists and gets it", async () => {
    const { chat } = await ok("band_me_create_chat", { title: "Planning" });
    expect(chat).toMatchObject({ title: "Planning", status: "active" });
    expect(lastRequest("POST", /\/me\/chats$/)!.body).toEqual({ chat: { title: "Planning" } });

    const list = await ok("band_me_list_chats", { limit: 1, sort_by: "inserted_at", order: "asc" });
    expect(list.items).toHaveLength(1);
    expect(list).toMatchObject({ has_more: true });
    const rest = await ok("band_me_list_chats", { limit: 10, sort_by: "inserted_at", order: "asc", cursor: list.next_cursor });
    expect([...list.items, ...rest.items].map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([fake.room.id, chat.id]));

    expect((await ok("band_me_get_chat", { chat_id: chat.id })).chat).toMatchObject({ id: chat.id, title: "Planning" });
    const missing = await fail("band_me_get_chat", { chat_id: UNKNOWN_ID });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("band_me_list_chats");
  });

  it("sends as the user with handle and id mentions, and reads messages newest first", async () => {
    const sent = await ok("band_me_send_message", { chat_id: fake.room.id, content: "Please review", mentions: [`@${fake.agent.handle}`, fake.peer.id] });
    expect(sent.recipients.map((r: { id: string }) => r.id).sort()).toEqual([fake.agent.id, fake.peer.id].sort());
    expect(lastRequest("POST", /\/me\/chats\/[^/]+\/messages$/)!.body).toEqual({
      message: { content: "Please review", mentions: [{ handle: fake.agent.handle }, { id: fake.peer.id }] },
    });
    expect(fake.messages(fake.room.id).at(-1)).toMatchObject({ id: sent.message_id, sender_id: fake.user.id });

    fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "Later one", mentions: [fake.user.id] });
    const messages = await ok("band_me_list_messages", { chat_id: fake.room.id, message_type: "text", limit: 1 });
    expect(messages.items[0].content).toContain("Later one");
    expect(messages).toMatchObject({ has_more: true });
    const older = await ok("band_me_list_messages", { chat_id: fake.room.id, cursor: messages.next_cursor, limit: 1 });
    expect(older.items[0].id).toBe(sent.message_id);

    const both = await fail("band_me_list_messages", { chat_id: fake.room.id, since: "2020-01-01T00:00:00Z", cursor: messages.next_cursor });
    expect(both.isError).toBe(true);
    expect(both.text).toMatch(/since or cursor/);
  });

  it("lists, adds and removes participants in the participant wrapper", async () => {
    const { chat } = await ok("band_me_create_chat", {});
    expect(lastRequest("POST", /\/me\/chats$/)!.body).toEqual({ chat: {} });

    const peers = await ok("band_me_list_peers", { not_in_chat: chat.id, type: "Agent" });
    expect(peers.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([fake.agent.id, fake.peer.id]));
    expect(lastRequest("GET", /\/me\/peers$/)!.query).toEqual({ not_in_chat: chat.id, type: "Agent" });

    const added = await ok("band_me_add_participant", { chat_id: chat.id, participant_id: fake.agent.id, role: "admin" });
    expect(added.participant).toMatchObject({ id: fake.agent.id, role: "admin" });
    expect(lastRequest("POST", /\/me\/chats\/[^/]+\/participants$/)!.body).toEqual({ participant: { participant_id: fake.agent.id, role: "admin" } });

    const members = await ok("band_me_list_participants", { chat_id: chat.id, participant_type: "Agent" });
    expect(members.items.map((p: { id: string }) => p.id)).toEqual([fake.agent.id]);

    expect((await ok("band_me_remove_participant", { chat_id: chat.id, participant_id: fake.agent.id })).participant).toMatchObject({ id: fake.agent.id });
    const again = await fail("band_me_remove_participant", { chat_id: chat.id, participant_id: fake.agent.id });
    expect(again.isError).toBe(true);
    expect(again.text).toContain("band_me_list_participants");
  });
});
