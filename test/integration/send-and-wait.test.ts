import { afterEach, describe, expect, it } from "vitest";
import type { AppOptions } from "../../src/app.js";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";
import { answerNextMessage, type Peer } from "../helpers/peer.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));
const peers: Peer[] = [];

async function live(env: Record<string, string> = {}, options: AppOptions = {}): Promise<Connected> {
  const connected = await connect({ BAND_LIVE: "true", ...env }, options);
  await untilJoined(connected.app);
  return connected;
}

function peer(options: Parameters<typeof answerNextMessage>[1] = {}): Peer {
  const p = answerNextMessage(fake, options);
  peers.push(p);
  return p;
}

const ask = (c: Connected, args: Record<string, unknown> = {}) =>
  call(c.client, "band_send_and_wait", { chat_id: fake.room.id, content: "is the build green?", mentions: ["@alice/reviewer"], timeout_seconds: 10, ...args });

afterEach(() => {
  for (const p of peers.splice(0)) p.stop();
});

describe("band_send_and_wait", () => {
  it("returns an instant reply, claimed and counted delivered, never handed out again", async () => {
    const c = await live();
    const answer = peer({ content: "yes, green" });
    const result = await ask(c);
    expect(result.isError, result.text).toBe(false);
    const reply = await answer.answered;
    const question = fake.messages(fake.room.id).find((m) => m.sender_id === fake.agent.id)!;
    expect(question.content).toContain("is the build green?");
    expect((question.metadata as { mentions: { id: string }[] }).mentions.map((m) => m.id)).toEqual([fake.peer.id]);
    expect(result.structured).toMatchObject({ message_id: question.id, timed_out: false, reply: { id: reply.id, chat_id: fake.room.id, sender: { id: fake.peer.id, handle: "alice/reviewer" } } });
    expect(result.structured!.reply.content).toContain("yes, green");
    await waitFor(() => fake.delivery(reply.id, fake.agent.id).status === "processing", "reply claimed on Band");
    expect((await c.app.status()).inbox).toMatchObject({ pending: 0, delivered_total: 1 });
    const later = await call(c.client, "band_wait_for_message", { timeout_seconds: 0.3 });
    expect(later.structured).toMatchObject({ messages: [], timed_out: true });
  });

  it("waits only for the mentioned participants and only for messages newer than the question", async () => {
    const c = await live();
    const older = fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "an old note", mentions: [fake.agent.id] });
    await waitFor(() => c.app.live!.inbox.peek().some((m) => m.id === older.id), "old note queued");
    const pending = ask(c);
    const question = await waitFor(() => fake.messages(fake.room.id).some((m) => m.sender_id === fake.agent.id), "question sent").then(
      () => fake.messages(fake.room.id).find((m) => m.sender_id === fake.agent.id)!,
    );
    const bystander = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "me too", mentions: [fake.agent.id] });
    await new Promise((r) => setTimeout(r, 200));
    const reply = fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "the answer", mentions: [fake.agent.id] });
    const result = await pending;
    expect(result.structured).toMatchObject({ message_id: question.id, timed_out: false, reply: { id: reply.id } });
    const rest = await call(c.client, "band_wait_for_message", { timeout_seconds: 1 });
    expect(rest.structured!.messages.map((m: { id: string }) => m.id)).toEqual([older.id, bystander.id]);
  });

  it("wins the reply over a general wait already blocked in the same process", async () => {
    const c = await live();
    const general = call(c.client, "band_wait_for_message", { timeout_seconds: 3 });
    await new Promise((r) => setTimeout(r, 100));
    const answer = peer();
    const result = await ask(c);
    expect(result.structured).toMatchObject({ timed_out: false, reply: { id: (await answer.answered).id } });
    expect((await general).structured).toMatchObject({ messages: [], timed_out: true });
  });

  it("times out as a normal result, with progress notifications while it waits", async () => {
    // Progress every 250 ms instead of every 5 s: the same ticks, without a test that sleeps for them.
    const c = await live({}, { tickMs: 250 });
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const started = Date.now();
    const result = await c.client.callTool(
      { name: "band_send_and_wait", arguments: { chat_id: fake.room.id, content: "anyone?", mentions: [fake.peer.id], timeout_seconds: 2 } },
      undefined,
      { onprogress: (p) => void progress.push(p), timeout: 30_000 },
    );
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ reply: null, timed_out: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(fake.messages(fake.room.id).some((m) => m.id === (result.structuredContent as { message_id: string }).message_id)).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress[0]).toMatchObject({ progress: 0, total: 2 });
    expect(progress.at(-1)!.progress).toBeGreaterThanOrEqual(1);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
    expect(progress[0]!.message).toContain("@alice/reviewer");
  });

  it("on cancellation stops waiting, and the reply stays in the inbox for band_wait_for_message", async () => {
    const c = await live();
    const controller = new AbortController();
    const pending = c.client.callTool(
      { name: "band_send_and_wait", arguments: { chat_id: fake.room.id, content: "question", mentions: ["alice/reviewer"], timeout_seconds: 30 } },
      undefined,
      { signal: controller.signal },
    );
    await waitFor(() => fake.messages(fake.room.id).some((m) => m.sender_id === fake.agent.id), "question sent");
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    const reply = fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "late answer", mentions: [fake.agent.id] });
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(got.structured!.messages.map((m: { id: string }) => m.id)).toEqual([reply.id]);
  });

  it("sends nothing when a mention cannot be resolved, and lists the room", async () => {
    const c = await live();
    const result = await ask(c, { mentions: ["@nobody"] });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/"@nobody" is not in this room/);
    expect(result.text).toContain("@alice/reviewer");
    expect(fake.messages(fake.room.id).filter((m) => m.sender_id === fake.agent.id)).toEqual([]);
  });

  it("refuses before sending when another process holds the agent's socket", async () => {
    await live();
    const second = await connect({ BAND_LIVE: "true" });
    await waitFor(async () => (await second.app.status()).connection === "conflict", "second sees conflict");
    const result = await ask(second);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Nothing was sent/);
    expect(fake.messages(fake.room.id).filter((m) => m.sender_id === fake.agent.id)).toEqual([]);
  });

  it("is hidden when the inbox is off (BAND_LIVE=false)", async () => {
    const c = await connect({ BAND_LIVE: "false" });
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain("band_send_and_wait");
    expect(tools.map((t) => t.name)).toContain("band_send_message");
  });
});
