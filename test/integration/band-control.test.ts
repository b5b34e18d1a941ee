/** Band's control events: agent.control (stop / play / interrupt), a retryable supersede, message_updated. */
import { describe, expect, it } from "vitest";
import { describeStatus } from "../../src/tools/inbox/status-words.js";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

async function live(env: Record<string, string> = {}): Promise<Connected> {
  const c = await connect({ BAND_LIVE: "true", ...env });
  await untilJoined(c.app);
  return c;
}

const post = (text: string, roomId = fake.room.id) => fake.postMessage(roomId, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const control = (payload: Record<string, unknown>) =>
  fake.socket.push(fake.agent.id, `agent_control:${fake.agent.id}`, "agent.control", { agent_id: fake.agent.id, scope: "agent", ...payload });
const ids = (result: { structured?: Record<string, any> }) => (result.structured!.messages as { id: string }[]).map((m) => m.id);

describe("agent.control", () => {
  it("stop holds delivery (nothing handed out or claimed, status says why); play resumes in order", async () => {
    const c = await live();
    control({ mode: "stop", reason: "owner paused", correlation_id: "s1" });
    await waitFor(async () => /paused by Band.*owner paused/.test(describeStatus(await c.app.status()).detail ?? ""), "paused in status");
    const held = [post("held 1"), post("held 2")];
    const empty = await call(c.client, "band_wait_for_message", { timeout_seconds: 0.3 });
    expect(empty.structured).toMatchObject({ messages: [], timed_out: true, pending: 2 });
    expect(fake.delivery(held[0]!.id, fake.agent.id).status).not.toBe("processing");
    control({ mode: "play", correlation_id: "p1" });
    const resumed = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(ids(resumed)).toEqual(held.map((m) => m.id));
    expect(describeStatus(await c.app.status()).detail ?? "").not.toMatch(/paused/);
  });

  it("a room-scoped stop holds only that room", async () => {
    const c = await live();
    const other = fake.createRoom({ title: "Other", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    await waitFor(async () => (await c.app.status()).chats_joined >= 2, "joined the other room");
    control({ mode: "stop", scope: "room", room_id: fake.room.id });
    await waitFor(async () => /chat .* paused/.test(describeStatus(await c.app.status()).detail ?? ""), "room paused in status");
    post("held here");
    const free = post("free there", other.id);
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(ids(got)).toEqual([free.id]);
  });

  it("routes by room_id, whatever scope says: Band's {scope: \"agent\", room_id} stops that room only", async () => {
    const c = await live();
    const other = fake.createRoom({ title: "Other", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    await waitFor(async () => (await c.app.status()).chats_joined >= 2, "joined the other room");
    // The Python SDK's own test payload: a stop for one room, sent with scope "agent".
    control({ mode: "stop", scope: "agent", room_id: fake.room.id, correlation_id: "c-1" });
    await waitFor(async () => /chat .* paused/.test(describeStatus(await c.app.status()).detail ?? ""), "room paused in status");
    const held = post("held here");
    const free = post("free there", other.id);
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(ids(got)).toEqual([free.id]);
    expect(describeStatus(await c.app.status()).detail).not.toMatch(/delivery paused by Band/);
    control({ mode: "play", scope: "agent", room_id: fake.room.id, correlation_id: "c-2" });
    expect(ids(await call(c.client, "band_wait_for_message", { timeout_seconds: 5 }))).toEqual([held.id]);
  });

  it("a room interrupt ({scope: \"agent\" or \"room\", room_id}) ends that room's waits only; without room_id, every wait", async () => {
    const c = await live();
    const other = fake.createRoom({ title: "Other", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    await waitFor(async () => (await c.app.status()).chats_joined >= 2, "joined the other room");
    for (const scope of ["agent", "room"]) {
      const here = call(c.client, "band_wait_for_message", { timeout_seconds: 20, chat_id: fake.room.id });
      const there = call(c.client, "band_wait_for_message", { timeout_seconds: 20, chat_id: other.id });
      // A wait bound to no chat is not working in the interrupted room: it keeps waiting (docs/delivery.md).
      const anywhere = call(c.client, "band_wait_for_message", { timeout_seconds: 20 });
      await waitFor(() => c.app.live!.waiting === 3, "three waits blocked");
      control({ mode: "interrupt", scope, room_id: fake.room.id, correlation_id: `i-${scope}` });
      expect((await here).structured).toMatchObject({ messages: [], interrupted: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(c.app.live!.waiting).toBe(2);
      control({ mode: "interrupt", correlation_id: `all-${scope}` });
      for (const wait of [there, anywhere]) expect((await wait).structured).toMatchObject({ messages: [], interrupted: true });
    }
  });

  it("interrupt ends a blocked wait at once with an empty, non-error result that says so", async () => {
    const c = await live();
    const started = Date.now();
    const waiting = call(c.client, "band_wait_for_message", { timeout_seconds: 20 });
    await new Promise((r) => setTimeout(r, 100));
    control({ mode: "interrupt", correlation_id: "i1" });
    const result = await waiting;
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({ messages: [], timed_out: false, interrupted: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("counts an event repeated with the same correlation_id once", async () => {
    const c = await live();
    control({ mode: "stop", correlation_id: "same" });
    control({ mode: "play", correlation_id: "other" });
    // Band re-sends the old stop: it must not pause delivery again.
    control({ mode: "stop", correlation_id: "same" });
    const sent = post("not paused");
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(ids(got)).toEqual([sent.id]);
  });
});

describe("supersede", () => {
  it("retryable: exactly one new attempt after retry_after, with on_conflict=reject, then delivery resumes", async () => {
    const c = await live();
    const upgradesBefore = fake.socket.upgrades.length;
    fake.socket.supersede(fake.agent.id, { reason: "session.rebalanced", message: "moved", retryable: true, retry_after: 0.2 });
    await waitFor(async () => (await c.app.status()).connection === "conflict", "conflict after supersede");
    expect((await c.app.status()).standby).toMatchObject({ attempts: 1 });
    await waitFor(async () => (await c.app.status()).connection === "connected", "connected again", 5_000);
    expect(fake.socket.upgrades.slice(upgradesBefore).map((u) => u.query.on_conflict)).toEqual(["reject"]);
    const sent = post("after the retry");
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(ids(got)).toEqual([sent.id]);
  });

  it("retryable, but the retries are refused: stands by with growing delays, then takes over once free", async () => {
    const c = await live({ BAND_STANDBY_SECONDS: "1" });
    fake.socket.refuseUpgrades(409, { count: 4 });
    const upgradesBefore = fake.socket.upgrades.length;
    fake.socket.supersede(fake.agent.id, { reason: "session.already_connected", message: "newer", retryable: true, retry_after: 0.1 });
    await waitFor(() => fake.socket.upgrades.length - upgradesBefore >= 2, "retries");
    const standing = await call(c.client, "band_status");
    expect(standing.structured).toMatchObject({ connection: "conflict", standby: { attempts: expect.any(Number), next_attempt_at: expect.any(String) } });
    expect(standing.structured!.detail).toMatch(/Standing by.*never pushing it out/);
    await waitFor(async () => (await c.app.status()).connection === "connected", "took over", 5_000);
    expect(fake.socket.upgrades.length - upgradesBefore).toBe(5);
    expect(new Set(fake.socket.upgrades.slice(upgradesBefore).map((u) => u.query.on_conflict))).toEqual(new Set(["reject"]));
    expect((await c.app.status()).standby).toBeUndefined();
    const sent = post("after the standby");
    expect(ids(await call(c.client, "band_wait_for_message", { timeout_seconds: 5 }))).toEqual([sent.id]);
  });
});

describe("message_updated", () => {
  it("a queued message processed elsewhere leaves the inbox; an attempt number is recorded", async () => {
    const c = await live();
    const done = post("settled elsewhere");
    const retried = post("second attempt");
    await waitFor(async () => (await c.app.status()).inbox.pending === 2, "both queued");
    const topic = `chat_room:${fake.room.id}`;
    fake.socket.push(fake.agent.id, topic, "message_updated", { id: retried.id, metadata: { delivery_status: { [fake.agent.id]: { status: "failed", current_attempt: 2 } } } });
    fake.socket.push(fake.agent.id, topic, "message_updated", { id: done.id, metadata: { delivery_status: { [fake.agent.id]: { status: "processed", current_attempt: 1 } } } });
    await waitFor(async () => (await c.app.status()).inbox.pending === 1, "the processed one left");
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 1 });
    expect(got.structured!.messages).toEqual([expect.objectContaining({ id: retried.id, attempt: 2 })]);
  });
});
