import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { BandApiError, BandClient, DEFAULT_BUDGET_MS, type BandClientOptions } from "../../src/band/http.js";
import { Secret } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import type { ToolDefinition } from "../../src/tools/define.js";
import { describeFailure } from "../../src/tools/errors.js";
import { startHostileBand, type HostileAnswer, type HostileBand } from "../helpers/hostile-band.js";

/** Issue 9 items 4, 8 and 9: what the REST client makes of a Band that answers too much, not JSON, or nothing. */

let hostile: HostileBand | undefined;
let dispatcher: Agent | undefined;

afterEach(async () => {
  await dispatcher?.close();
  await hostile?.close();
  dispatcher = hostile = undefined;
});

async function clientFor(answer: HostileAnswer, options: Partial<BandClientOptions> = {}): Promise<BandClient> {
  hostile = await startHostileBand(() => answer);
  dispatcher = new Agent();
  return new BandClient({
    baseUrl: hostile.url,
    key: new Secret(`band_a_${"hostile".repeat(4)}`),
    dispatcher,
    log: createLogger("error"),
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_000 },
    ...options,
  });
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the call succeeded"), (error: unknown) => error as BandApiError);
const explain = (error: unknown) => describeFailure(error, { name: "band_x", toolset: "chats" } as unknown as ToolDefinition, {}, { keyVariable: "BAND_API_KEY" });

describe("answers too large to read", () => {
  it("stops reading a 100 MB answer at the 10 MB cap and says so, without retrying", async () => {
    const band = await clientFor({ status: 200, headers: { "content-type": "application/json" }, bytes: 100 * 1024 * 1024 });
    const started = Date.now();
    const error = await failureOf(band.call("getAgentMe"));
    expect(error).toBeInstanceOf(BandApiError);
    expect(error).toMatchObject({ status: 200, code: "response_too_large", retries: 0 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hostile!.requests).toHaveLength(1);
    expect(explain(error)).toMatch(/too large.*10 MB.*smaller limit/);
  });

  it("refuses at once an answer that declares a length over the cap", async () => {
    const band = await clientFor({ status: 200, headers: { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) }, bytes: 1024 });
    expect(await failureOf(band.call("getAgentMe"))).toMatchObject({ code: "response_too_large" });
  });
});

describe("a 200 that is not JSON", () => {
  it("says what came instead (status, content type, first bytes escaped) and does not retry a GET", async () => {
    const band = await clientFor({ status: 200, headers: { "content-type": "text/html" }, body: "<html>\u001b[31mSign in to the proxy</html>" });
    const error = await failureOf(band.call("getAgentMe"));
    expect(error).toMatchObject({ status: 200, code: "not_json", retries: 0 });
    expect(hostile!.requests).toHaveLength(1);
    const text = explain(error);
    expect(text).toMatch(/^Band answered HTTP 200 with content type text\/html, not JSON; it began "<html>\\u001b\[31mSign in/);
    expect(text).not.toMatch(/Could not reach Band/);
    expect(text).not.toMatch(/carried out/);
  });

  it("for a POST, says it may have been carried out and how to check", async () => {
    const band = await clientFor({ status: 201, body: "OK" });
    const error = await failureOf(band.call("createAgentChat", { body: { chat: {} } }));
    expect(error).toMatchObject({ code: "not_json" });
    expect(explain(error)).toMatch(/may have been carried out on Band.*check/);
  });
});

describe("a Band that never answers", () => {
  it("ends the whole retried call within its time budget, with a clear error", async () => {
    // Ten retries of 300 ms each would take over 3 s; the 700 ms budget ends the call after the first.
    const band = await clientFor({ silent: true }, { timeoutMs: 300, budgetMs: 700, retry: { maxRetries: 10, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_000 } });
    const started = Date.now();
    const error = await failureOf(band.call("getAgentMe"));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    expect(error).toMatchObject({ status: 0 });
    expect(explain(error)).toMatch(/Could not reach Band \(Band did not answer in time; gave up after 1 s\)/);
  });

  it("by default gives up well inside the 60 s a host allows a request", () => {
    expect(DEFAULT_BUDGET_MS).toBeLessThanOrEqual(30_000);
  });
});
