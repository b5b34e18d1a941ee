import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { BandApiError, BandClient } from "../../src/band/http.js";
import { Secret } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
/** Built at run time so no key-shaped literal sits in the repository. */
const TEST_KEY = `band_a_${"unit".repeat(6)}`;

const NO_RETRY = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 };
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function clientFor(baseUrl: string, dispatcher: Agent | MockAgent, timeoutMs = 15_000): BandClient {
  return new BandClient({ baseUrl, key: new Secret(TEST_KEY), dispatcher, log: createLogger("error"), retry: NO_RETRY, timeoutMs });
}

/** A server that reads requests and never answers them. */
async function silentServer(): Promise<string> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("BandClient requests (dispatch API)", () => {
  it("keeps the base URL's path and refuses '', '.' and '..' ids: normalisation would make them reach another endpoint", async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    closers.push(() => mock.close());
    const sent: string[] = [];
    // A predicate: a string path would itself be normalised by the mock before matching.
    mock.get("http://band.test").intercept({ path: (path) => sent.push(path) > 0, method: "GET" }).reply(200, { data: [] }).persist();
    const band = clientFor("http://band.test/prefix", mock);
    for (const id of ["", ".", ".."]) {
      await expect(band.call("listAgentMessages", { path: { chat_id: id } })).rejects.toThrow(/is not a valid chat_id.*Nothing was sent/);
    }
    expect(sent).toEqual([]);
    await expect(band.call("listAgentMessages", { path: { chat_id: "a.b/c" }, query: { limit: 5 } })).resolves.toMatchObject({ data: [] });
    expect([...new Set(sent)]).toEqual(["/prefix/api/v1/agent/chats/a.b%2Fc/messages?limit=5"]);
  });

  it("aborts a request in flight with the caller's reason", async () => {
    const agent = new Agent();
    closers.push(() => agent.close());
    const band = clientFor(await silentServer(), agent);
    const controller = new AbortController();
    const pending = band.call("getAgentMe", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("cancelled by the host")), 50);
    await expect(pending).rejects.toThrow("cancelled by the host");
  });

  it("reports a Band that does not answer in time as a network failure", async () => {
    const agent = new Agent();
    closers.push(() => agent.close());
    const band = clientFor(await silentServer(), agent, 100);
    const error = await band.call("getAgentMe").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandApiError);
    expect(error).toMatchObject({ status: 0, code: "UND_ERR_HEADERS_TIMEOUT", bandMessage: "Band did not answer in time" });
  });
});
