import { describe, expect, it } from "vitest";
import { call, useFakeBand } from "../helpers/harness.js";

/**
 * The live core reports why Band cannot be used as facts (a reason, the HTTP status, the variable that holds
 * the key); band_status words them for the model. Each agent names its own variable.
 */
const connect = useFakeBand(() => undefined);

describe("a rejected agent key", () => {
  it("is a fact in the live core's status and words in band_status", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_API_KEY: "", BAND_AGENT_KEY: "band_a_wrong-key-" + "for-test" });
    const report = await c.app.status();
    expect(report).toMatchObject({ connection: "unauthorized", problem: { reason: "key_rejected", http_status: 401, key_variable: "BAND_AGENT_KEY" } });
    expect(report.detail).toBeUndefined();
    const status = await call(c.client, "band_status");
    expect(status.structured).not.toHaveProperty("problem");
    expect(status.structured!.detail).toBe("Band rejected the agent key (HTTP 401); set BAND_AGENT_KEY to a valid agent key and restart");
  });

  it("with BAND_LIVE=false is the same fact, and the same words", async () => {
    const c = await connect({ BAND_API_KEY: "band_a_wrong-key-" + "for-test" });
    expect(await c.app.status()).toMatchObject({ connection: "disabled", ok: false, problem: { reason: "key_rejected", http_status: 401, key_variable: "BAND_API_KEY" } });
    const status = await call(c.client, "band_status");
    expect(status.structured!.detail).toBe("Band rejected the agent key (HTTP 401); set BAND_API_KEY to a valid agent key and restart; BAND_LIVE=false: tools only, no socket and no inbox");
  });
});

describe("a Band that does not answer", () => {
  it("is a fact while connecting, worded in band_status", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_BASE_URL: "http://127.0.0.1:9", BAND_WS_URL: "ws://127.0.0.1:9/api/v1/socket" });
    expect(await c.app.status()).toMatchObject({ connection: "connecting", problem: { reason: "band_unreachable" } });
    const status = await call(c.client, "band_status");
    expect(status.structured!.detail).toMatch(/^cannot reach Band yet: /);
  });
});
