import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NoInboxError, NoRecipientsError, RepliesUnreachableError } from "../../src/agent/errors.js";
import { AgentService } from "../../src/agent/service.js";
import { TRANSCRIPT_PAGES, roleOf } from "../../src/agent/transcript.js";
import { createApp, type App } from "../../src/app.js";
import { BandApiError } from "../../src/band/http.js";
import { INBOX_CONTENT_CHARS } from "../../src/bounds.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { FAST_RETRY, FAST_SOCKET, untilJoined, waitFor } from "../helpers/harness.js";

/** The agent's actions (agent/service.ts) against the fake Band over real HTTP and its socket. */

let fake: FakeBand;
const apps: App[] = [];

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await fake.close();
});

async function start(env: Record<string, string> = {}): Promise<{ app: App; agent: AgentService }> {
  const config = loadConfig({ BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LIVE: "false", BAND_LOG_LEVEL: "error", ...env });
  const app = createApp(config, createLogger(config.logLevel), { retry: FAST_RETRY, socket: FAST_SOCKET, tickMs: 50 });
  apps.push(app);
  await app.start();
  return { app, agent: new AgentService({ band: app.agent!, participants: app.participants, live: app.live?.inbox }) };
}

const live = async () => {
  const started = await start({ BAND_LIVE: "true" });
  await untilJoined(started.app);
  return started;
};

const fromAlice = (content: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content, mentions: [fake.agent.id] });
const posts = () => fake.requests.filter((r) => r.method === "POST" && r.path.endsWith(`/chats/${fake.room.id}/messages`));

describe("send-and-wait", () => {
  it("returns the first reply from someone it mentioned: not a message queued before, nor one from someone else", async () => {
    const { app, agent } = await live();
    const earlier = fromAlice("written before the question");
    await waitFor(() => app.live!.inbox.peek().some((m) => m.id === earlier.id), "the earlier message queued");
    const ticks: number[] = [];
    const result = await agent.sendAndWait({
      chatId: fake.room.id,
      content: "may I deploy?",
      mentions: ["@alice"],
      timeoutMs: 5_000,
      signal: new AbortController().signal,
      onSent: async (recipients) => {
        expect(recipients.map((r) => r.id)).toEqual([fake.user.id]);
        fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "not asked", mentions: [fake.agent.id] });
        await new Promise((r) => setTimeout(r, 200));
        fromAlice("yes, go ahead");
      },
      onTick: (elapsedMs) => ticks.push(elapsedMs),
    });
    expect(result.timed_out).toBe(false);
    expect(result.reply).toMatchObject({ chat_id: fake.room.id, sender: { id: fake.user.id }, content: expect.stringContaining("yes, go ahead") });
    expect(fake.messages(fake.room.id).find((m) => m.id === result.message_id)?.content).toContain("may I deploy?");
    // The reply is handed out (claimed); the other two stay queued for the agent's waits.
    expect(app.live!.inbox.inFlight().map((m) => m.id)).toEqual([result.reply!.id]);
    expect(app.live!.inbox.peek().map((m) => m.content.replace(/^@\S+ /, ""))).toEqual(["written before the question", "not asked"]);
  });

  it("waits no longer than its bound when nobody answers: no reply, timed out, the message sent", async () => {
    const { agent } = await live();
    const started = Date.now();
    const result = await agent.sendAndWait({ chatId: fake.room.id, content: "anyone?", mentions: ["alice"], timeoutMs: 600, signal: new AbortController().signal });
    const waited = Date.now() - started;
    expect(result).toEqual({ message_id: expect.any(String), reply: null, timed_out: true });
    expect(waited).toBeGreaterThanOrEqual(550);
    expect(waited).toBeLessThan(3_000);
    expect(posts()).toHaveLength(1);
  });

  it("refuses before sending when the inbox cannot hear the reply (a rejected key), with the status's facts", async () => {
    const { agent } = await start({ BAND_LIVE: "true", BAND_API_KEY: "band_a_wrong-" + "key-for-test" });
    const refused = agent.sendAndWait({ chatId: fake.room.id, content: "hello?", mentions: ["alice"], timeoutMs: 1_000, signal: new AbortController().signal });
    await expect(refused).rejects.toBeInstanceOf(RepliesUnreachableError);
    await expect(refused).rejects.toMatchObject({ status: { connection: "unauthorized", problem: { reason: "key_rejected", key_variable: "BAND_API_KEY" } } });
    expect(posts()).toHaveLength(0);
  });

  it("needs the live inbox", async () => {
    const { agent } = await start();
    await expect(agent.sendAndWait({ chatId: fake.room.id, content: "hi", mentions: ["alice"], timeoutMs: 100, signal: new AbortController().signal })).rejects.toBeInstanceOf(NoInboxError);
    expect(posts()).toHaveLength(0);
  });
});

describe("mark", () => {
  it("without the live inbox, claims a message nobody claimed and marks it processed, or failed with the reason", async () => {
    const { agent } = await start();
    const done = fromAlice("done");
    const broken = fromAlice("broken");
    expect(await agent.mark(fake.room.id, done.id, { status: "processed" })).toEqual({ id: done.id, status: "processed" });
    expect(await agent.mark(fake.room.id, broken.id, { status: "failed", error: "no disk" })).toMatchObject({ id: broken.id, status: "failed" });
    expect(fake.delivery(done.id, fake.agent.id).status).toBe("processed");
    expect(fake.delivery(broken.id, fake.agent.id).status).toBe("failed");
  });

  it("of a message Band does not have is Band's 404, as a typed error, on both paths", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const rest = await start();
    await expect(rest.agent.mark(fake.room.id, missing, { status: "processed" })).rejects.toMatchObject({ name: "BandApiError", status: 404 });
    const { agent } = await live();
    const error = await agent.mark(fake.room.id, missing, { status: "failed", error: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandApiError);
    expect(error).toMatchObject({ status: 404 });
  });

  it("marks a message in flight through the live inbox, which then no longer holds it", async () => {
    const { app, agent } = await live();
    const sent = fromAlice("work on this");
    const { messages } = await app.live!.inbox.wait({ timeoutMs: 5_000, max: 1, signal: new AbortController().signal });
    expect(messages.map((m) => m.id)).toEqual([sent.id]);
    await agent.mark(fake.room.id, sent.id, { status: "processed" });
    expect(app.live!.inbox.inFlight()).toEqual([]);
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
  });
});

describe("transcript", () => {
  it(`reads at most ${TRANSCRIPT_PAGES} pages of 100, oldest first, and says who wrote each message`, async () => {
    const { agent } = await start();
    const mine = await agent.send(fake.room.id, "first, from me", ["alice"]);
    fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "second, from the peer", mentions: [fake.agent.id] });
    for (let i = 0; i < 520; i++) fromAlice(`message ${i}`);
    const before = fake.requests.length;
    const messages = await agent.transcript(fake.room.id);
    const pages = fake.requests.slice(before).filter((r) => r.path.endsWith(`/chats/${fake.room.id}/context`));
    expect(pages).toHaveLength(TRANSCRIPT_PAGES);
    expect(messages).toHaveLength(TRANSCRIPT_PAGES * 100);
    expect(messages[0]!.id).toBe(mine.message_id);
    expect(messages.at(-1)!.content).toMatch(/ message 497$/);
    const self = await agent.selfId();
    expect(messages.slice(0, 3).map((m) => roleOf(m, self))).toEqual(["self", "agent", "user"]);
  });

  it("bounds each text as the inbox does, recording what it cut", async () => {
    const { agent } = await start();
    fromAlice("y".repeat(INBOX_CONTENT_CHARS + 10));
    const [message] = await agent.transcript(fake.room.id);
    expect(message!.content).toHaveLength(INBOX_CONTENT_CHARS);
    // Band puts the mention in front: 10 characters over, and the mention's.
    expect(message!.cut_chars).toBe(10 + "@alice/helper ".length);
  });
});

describe("send to everyone else", () => {
  it("mentions everyone in the room but the agent", async () => {
    const { agent } = await start();
    const sent = await agent.sendToOthers(fake.room.id, "hello all");
    expect(sent.recipients.map((r) => r.id).sort()).toEqual([fake.user.id, fake.peer.id].sort());
  });

  it("is refused, with nothing sent, in a room where the agent is alone", async () => {
    const { agent } = await start();
    const alone = fake.createRoom({ title: "Alone", ownerId: fake.agent.id });
    await expect(agent.sendToOthers(alone.id, "anyone?")).rejects.toBeInstanceOf(NoRecipientsError);
    expect(fake.messages(alone.id)).toEqual([]);
  });
});
