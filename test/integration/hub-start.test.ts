import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { AgentRegistry } from "../../src/hub/registry.js";
import { createLogger } from "../../src/log.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { FAST_RETRY, FAST_SOCKET } from "../helpers/harness.js";

/**
 * A hub does not start all its agents in one burst: Band (and any proxy in front of it) would see as many
 * identity calls and socket upgrades at once as there are agents. At most a few agents are opening their
 * socket at any moment; the next starts when one of them is connected (or refused, or standing by).
 */
const AGENTS = 40;
/** The bound the hub keeps (registry.ts); the test allows exactly that many agents ahead of their sockets. */
const AT_ONCE = 16;

let fake: FakeBand | undefined;
let registry: AgentRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  await fake?.close();
});

describe("hub start-up", () => {
  it(`opens at most ${AT_ONCE} agents' sockets at a time, and every agent connects`, async () => {
    fake = await startFakeBand();
    const band = fake;
    const agents = Array.from({ length: AGENTS }, (_, i) => band.addAgent({ name: `Agent ${i}`, handle: `alice/agent-${i}` }));
    for (const agent of agents) band.addParticipant(band.room.id, agent.id);
    const keys = Object.fromEntries(agents.map((a, i) => [`BAND_API_KEY_A${i}`, a.key]));
    // At each identity call (the first step of an agent's start), how many upgrades Band had seen by then.
    const ahead: number[] = [];
    const record = band.requests.push.bind(band.requests);
    band.requests.push = (...requests) => {
      for (const r of requests) if (r.method === "GET" && r.path === "/api/v1/agent/me") ahead.push(ahead.length + 1 - band.socket.upgrades.length);
      return record(...requests);
    };
    const config = loadConfig({ ...keys, BAND_BASE_URL: band.url, BAND_WS_URL: band.wsUrl, BAND_LOG_LEVEL: "error" });
    registry = AgentRegistry.create(config, createLogger("error"), { retry: FAST_RETRY, socket: FAST_SOCKET });
    await registry.start();

    expect(ahead).toHaveLength(AGENTS);
    expect(Math.max(...ahead), "identity calls ahead of socket upgrades").toBeLessThanOrEqual(AT_ONCE);
    const states = registry.entries().map(([, app]) => app.live?.status().connection);
    expect(states.filter((s) => s === "connected")).toHaveLength(AGENTS);
  });
});
