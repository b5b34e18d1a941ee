/**
 * Ways a message went astray seen from outside (issue 8), each pinned down by a test that failed before the fix.
 */
import { describe, expect, it } from "vitest";
import { describeStatus } from "../../src/tools/inbox/status-words.js";
import type { FakeBand } from "../fake-band/index.js";
import { FAST_RETRY, call, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const live = (env: Record<string, string> = {}): Promise<Connected> => connect({ BAND_LIVE: "true", ...env });

const post = (roomId: string, text: string) => fake.postMessage(roomId, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });

/** Takes and acknowledges everything until a wait comes back empty; returns the ids per chat, in hand-out order. */
async function consumeAll(c: Connected, timeoutSeconds = 1): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>();
  for (;;) {
    const result = await call(c.client, "band_wait_for_message", { timeout_seconds: timeoutSeconds, max_messages: 50 });
    expect(result.isError, result.text).toBe(false);
    if (result.structured!.messages.length === 0) return got;
    for (const m of result.structured!.messages as { id: string; chat_id: string }[]) {
      got.set(m.chat_id, [...(got.get(m.chat_id) ?? []), m.id]);
      const marked = await call(c.client, "band_mark_processed", { chat_id: m.chat_id, message_id: m.id });
      expect(marked.isError, marked.text).toBe(false);
    }
  }
}

describe("delivery gaps", () => {
  it("after an overflow whose last offer fit exactly, the rest of the backlog still comes, in per-chat order", async () => {
    const other = fake.createRoom({ title: "Other", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const sent = new Map<string, string[]>([
      [fake.room.id, []],
      [other.id, []],
    ]);
    for (let i = 0; i < 150; i++) {
      for (const room of [fake.room.id, other.id]) sent.get(room)!.push(post(room, `backlog ${i}`).id);
    }
    const c = await live({ BAND_INBOX_CAPACITY: "100" });
    const got = await consumeAll(c);
    expect(got.get(fake.room.id)).toEqual(sent.get(fake.room.id));
    expect(got.get(other.id)).toEqual(sent.get(other.id));
    expect((await c.app.status()).inbox.pending).toBe(0);
  });

  it("a burst several times the capacity in two chats is delivered whole, in per-chat order", async () => {
    const other = fake.createRoom({ title: "Other", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const c = await live({ BAND_INBOX_CAPACITY: "100" });
    await waitFor(async () => (await c.app.status()).chats_joined >= 2, "joined both rooms");
    const sent = new Map<string, string[]>([
      [fake.room.id, []],
      [other.id, []],
    ]);
    for (let i = 0; i < 250; i++) {
      for (const room of [fake.room.id, other.id]) sent.get(room)!.push(post(room, `burst ${i}`).id);
    }
    await waitFor(async () => (await c.app.status()).inbox.dropped > 0, "overflow counted");
    const got = await consumeAll(c);
    expect(got.get(fake.room.id)).toEqual(sent.get(fake.room.id));
    expect(got.get(other.id)).toEqual(sent.get(other.id));
  });

  it("a claim that keeps failing sends at most one retried call's worth of requests", async () => {
    const c = await live();
    await waitFor(async () => (await c.app.status()).chats_joined >= 1, "joined");
    fake.failNext(1_000, 500, { path: /\/processing$/ });
    const sent = post(fake.room.id, "claim me");
    const waited = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(waited.structured!.messages.map((m: { id: string }) => m.id)).toEqual([sent.id]);
    await waitFor(async () => describeStatus(await c.app.status()).detail?.includes("claim") === true, "claim failure reported");
    const claims = fake.requests.filter((r) => r.path.endsWith(`${sent.id}/processing`));
    expect(claims.length).toBe(FAST_RETRY.maxRetries + 1);
  });

  it("a backlog cursor that repeats stops the walk, shows in band_status, and is retried later", async () => {
    const listing = /\/agent\/chats\/[^/]+\/messages$/;
    const loop = fake.failRandomly({
      share: 1,
      answers: [{ status: 200, body: { data: [], metadata: { has_more: true, next_cursor: "again", limit: 100 } } }],
      random: () => 0,
      path: listing,
      method: "GET",
    });
    const sent = post(fake.room.id, "behind a bad cursor");
    const c = await live();
    await waitFor(async () => /cursor/.test(describeStatus(await c.app.status()).detail ?? ""), "the repeated cursor is reported");
    const before = fake.requests.filter((r) => listing.test(r.path)).length;
    await new Promise((r) => setTimeout(r, 300));
    const during = fake.requests.filter((r) => listing.test(r.path)).length - before;
    expect(during).toBeLessThan(10);
    loop.stop();
    const waited = await call(c.client, "band_wait_for_message", { timeout_seconds: 10 });
    expect(waited.structured!.messages.map((m: { id: string }) => m.id)).toEqual([sent.id]);
    await waitFor(async () => !/cursor/.test(describeStatus(await c.app.status()).detail ?? ""), "the report clears once a walk succeeds");
  });

  it("a backlog page Band refuses mid-walk is retried, not taken for the whole backlog (head message only)", async () => {
    const listing = /\/agent\/chats\/[^/]+\/messages$/;
    // Sent while the agent is away: only the backlog walk can bring them.
    const sent = ["first", "second", "third"].map((text) => post(fake.room.id, text).id);
    // The walk's first page hands out a cursor Band then refuses (422, as an expired cursor is).
    fake.failNext(1, 200, { path: listing, method: "GET", body: { data: [], metadata: { has_more: true, next_cursor: "expired", limit: 100 } } });
    const c = await live();
    const got = await consumeAll(c);
    expect(fake.requests.some((r) => listing.test(r.path) && r.query.cursor === "expired" && r.status === 422), "the refused page was asked for").toBe(true);
    expect(got.get(fake.room.id)).toEqual(sent);
  });
});
