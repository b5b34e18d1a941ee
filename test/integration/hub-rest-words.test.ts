import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { INBOX_CONTENT_CHARS } from "../../src/bounds.js";
import { loadConfig } from "../../src/config.js";
import { chatTranscript, sendSync } from "../../src/hub/rest.js";
import { createLogger } from "../../src/log.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { FAST_RETRY, FAST_SOCKET } from "../helpers/harness.js";

/** The hub's REST answers speak to the developer of a backend: the agent's facts, in words that name no tool. */

let fake: FakeBand;
let app: App | undefined;

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.close();
});

async function hubAgent(env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({ BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LIVE: "false", BAND_LOG_LEVEL: "error", ...env });
  app = createApp(config, createLogger(config.logLevel), { retry: FAST_RETRY, socket: FAST_SOCKET });
  await app.start();
  return app;
}

const never = { gone: new AbortController().signal, stopping: new AbortController().signal };

describe("the hub's REST words", () => {
  it("a transcript's cut text says where the rest is, without a tool's name", async () => {
    const agent = await hubAgent();
    fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "z".repeat(INBOX_CONTENT_CHARS + 50), mentions: [fake.agent.id] });
    const reply = await chatTranscript(agent, fake.room.id);
    expect(reply.status).toBe(200);
    const [message] = (reply.body as { messages: { content: string }[] }).messages;
    expect(message!.content).toMatch(/\n\[… cut by band-mcp-server: \d+ more characters\. The whole message is in the chat on Band\.\]$/);
    expect(message!.content).not.toMatch(/band_\w+/);
    expect(message).not.toHaveProperty("cut_chars");
  });

  it("a sync send refused for a rejected key names the variable to fix, and sends nothing", async () => {
    const agent = await hubAgent({ BAND_LIVE: "true", BAND_API_KEY: "", BAND_AGENT_KEY: "band_a_wrong-" + "key-for-test" });
    const reply = await sendSync(agent, { chat_id: fake.room.id, content: "hi", mentions: ["alice"] }, never);
    expect(reply).toMatchObject({ status: 503, body: { error: { code: "unauthorized", maybe_sent: false } } });
    const { message } = (reply.body as { error: { message: string } }).error;
    expect(message).toBe("Nothing was sent: Band rejected this agent's key (HTTP 401: set BAND_AGENT_KEY to a valid agent key and restart the hub).");
    expect(fake.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("a sync send without the live inbox is the caller's 400, nothing sent", async () => {
    const agent = await hubAgent();
    const reply = await sendSync(agent, { chat_id: fake.room.id, content: "hi", mentions: ["alice"] }, never);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: "inbox_disabled", maybe_sent: false } } });
    expect(fake.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});
