import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { startHttpServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { FAST_RETRY, waitFor } from "../helpers/harness.js";
import { startHostileBand, type HostileBand } from "../helpers/hostile-band.js";

/** Built at run time so no key-shaped literal sits in the repository. */
const KEY = `band_a_${"k".repeat(24)}`;
let hostile: HostileBand;
let app: App;

afterEach(async () => {
  // Band first: its silent answers would hold the app's connection pool open until they time out.
  await hostile?.close();
  await app?.close();
});

describe("HTTP shutdown", () => {
  it("answers requests stuck on Band 503 shutting_down (maybe_sent on a send) and closes in time", async () => {
    hostile = await startHostileBand(() => ({ silent: true }));
    const config = loadConfig({ BAND_API_KEY: KEY, BAND_BASE_URL: hostile.url, BAND_LIVE: "false", BAND_LOG_LEVEL: "error" });
    app = createApp(config, createLogger("error"), { retry: FAST_RETRY });
    const http = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
    const chat = randomUUID();
    const send = fetch(`${http.base}/agents/default/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chat, content: "hello", mentions: ["someone"] }),
    });
    const transcript = fetch(`${http.base}/agents/default/chats/${chat}/transcript`);
    // Both wait on the agent's id (one shared GET /agent/me that Band never answers).
    await waitFor(() => hostile.requests.length >= 1, "the requests waiting on Band");
    await new Promise((r) => setTimeout(r, 100));

    const started = Date.now();
    await http.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    const sent = await send;
    expect(sent.status).toBe(503);
    expect(await sent.json()).toEqual({ error: { code: "shutting_down", message: expect.stringContaining("may have been sent"), maybe_sent: true } });
    const read = await transcript;
    expect(read.status).toBe(503);
    expect(await read.json()).toEqual({ error: { code: "shutting_down", message: expect.stringContaining("shutting down") } });
    await expect(fetch(`${http.base}/health`)).rejects.toThrow();
  });
});
