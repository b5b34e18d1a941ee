import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { BandApiError, BandClient } from "../../src/band/http.js";
import { Secret } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
/** Built at run time so no key-shaped literal sits in the repository. */
const TEST_KEY = `band_a_${"unit".repeat(6)}`;

const BASE = "http://band.test";
let agent: MockAgent;

function client(): BandClient {
  agent = new MockAgent();
  agent.disableNetConnect();
  return new BandClient({
    baseUrl: BASE,
    key: new Secret(TEST_KEY),
    dispatcher: agent,
    log: createLogger("error"),
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1_500 },
  });
}

afterEach(async () => {
  await agent.close();
});

describe("BandClient", () => {
  it("sends the key header, unwraps {data} and keeps metadata", async () => {
    const band = client();
    agent
      .get(BASE)
      .intercept({ path: "/api/v1/agent/chats?page=1", method: "GET", headers: { "x-api-key": TEST_KEY } })
      .reply(200, { data: [{ id: "r1" }], metadata: { page: 1, total_pages: 1 } });
    const result = await band.call("listAgentChats", { query: { page: 1, page_size: undefined } });
    expect(result.data).toEqual([{ id: "r1" }]);
    expect(result.metadata).toEqual({ page: 1, total_pages: 1 });
  });

  it("retries an idempotent GET on 5xx and succeeds", async () => {
    const band = client();
    const pool = agent.get(BASE);
    pool.intercept({ path: "/api/v1/agent/me", method: "GET" }).reply(502, "bad gateway");
    pool.intercept({ path: "/api/v1/agent/me", method: "GET" }).reply(200, { data: { id: "a1" } });
    expect((await band.call("getAgentMe")).data).toEqual({ id: "a1" });
  });

  it("never resends a POST after a 5xx: it may have landed", async () => {
    const band = client();
    const pool = agent.get(BASE);
    pool.intercept({ path: "/api/v1/agent/chats", method: "POST" }).reply(500, { error: { code: "internal", message: "boom", request_id: "r-1" } });
    pool.intercept({ path: "/api/v1/agent/chats", method: "POST" }).reply(201, { data: { id: "should-not-be-used" } });
    const error = await band.call("createAgentChat", { body: { chat: {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandApiError);
    expect(error).toMatchObject({ status: 500, code: "internal", requestId: "r-1", retries: 0 });
  });

  it("resends even a POST after 429, honouring Retry-After", async () => {
    const band = client();
    const pool = agent.get(BASE);
    pool.intercept({ path: "/api/v1/agent/chats", method: "POST" }).reply(429, "", { headers: { "retry-after": "1" } });
    pool.intercept({ path: "/api/v1/agent/chats", method: "POST" }).reply(201, { data: { id: "c1" } });
    const started = Date.now();
    expect((await band.call("createAgentChat", { body: { chat: {} } })).data).toEqual({ id: "c1" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("gives up with the retry count and the Retry-After when Band keeps refusing", async () => {
    const band = client();
    agent.get(BASE).intercept({ path: "/api/v1/agent/me", method: "GET" }).reply(429, "", { headers: { "retry-after": "60" } });
    await expect(band.call("getAgentMe")).rejects.toMatchObject({ status: 429, retryAfter: 60, retries: 0 });
  });

  it("parses the docs' flat error form and the spec's 422 details", async () => {
    const band = client();
    const pool = agent.get(BASE);
    pool.intercept({ path: "/api/v1/agent/me", method: "GET" }).reply(401, { error: "unauthorized", message: "Invalid or missing API key" });
    await expect(band.call("getAgentMe")).rejects.toMatchObject({ status: 401, code: "unauthorized", bandMessage: "Invalid or missing API key" });
    pool
      .intercept({ path: "/api/v1/agent/chats/c1/messages", method: "POST" })
      .reply(422, { error: { code: "mentions_required", message: "m", request_id: "r", details: { "/message/mentions": ["required"] } } });
    await expect(band.call("createAgentChatMessage", { path: { chat_id: "c1" }, body: {} as never })).rejects.toMatchObject({
      code: "mentions_required",
      details: { "/message/mentions": ["required"] },
    });
  });

  it("maps 204 No Content to null data", async () => {
    const band = client();
    agent.get(BASE).intercept({ path: "/api/v1/agent/chats/c1/messages/next", method: "GET" }).reply(204, "");
    expect((await band.call("getAgentNextMessage", { path: { chat_id: "c1" } })).data).toBeNull();
  });
});
