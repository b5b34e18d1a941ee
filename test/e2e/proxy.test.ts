import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { startConnectProxy, type ConnectProxy } from "../helpers/connect-proxy.js";
import { waitFor } from "../helpers/harness.js";
import { CLI, connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

let fake: FakeBand;
let proxy: ConnectProxy;
const servers: RunningServer[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn", ...extra };
}

const bandAuthority = () => new URL(fake.url).host;
const through = (path: string) => proxy.tunnels.filter((t) => t.target === bandAuthority() && t.firstLine.startsWith(`GET ${path}`));

function doctor(extraEnv: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "doctor"], { env: extraEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}

async function live(server: RunningServer): Promise<void> {
  await waitFor(async () => (await fetch(`${server.base}/health`)).status === 200, "server connected to the fake Band");
}

beforeEach(async () => {
  fake = await startFakeBand();
  proxy = await startConnectProxy();
});

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.child.kill("SIGKILL");
    await s.exited;
  }
  await proxy.close();
  await fake.close();
});

describe("HTTP CONNECT proxies (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)", () => {
  it("carry both the REST calls and the socket of a running server", async () => {
    const server = await spawnHttpServer(env({ HTTP_PROXY: proxy.url }));
    servers.push(server);
    await live(server);
    const { client } = await connectHttp(server.url);
    const me = await client.callTool({ name: "band_get_me", arguments: {} });
    expect(me.structuredContent).toMatchObject({ id: fake.agent.id });
    await client.close();
    expect(through("/api/v1/agent/").length).toBeGreaterThan(0);
    expect(through("/api/v1/socket/websocket")).toHaveLength(1);
  });

  it("are bypassed for hosts in NO_PROXY, by REST and socket alike", async () => {
    const server = await spawnHttpServer(env({ HTTP_PROXY: proxy.url, NO_PROXY: "localhost,127.0.0.1" }));
    servers.push(server);
    await live(server);
    expect(proxy.tunnels).toEqual([]);
  });

  it("are reported and used by the doctor", async () => {
    const result = await doctor(env({ HTTP_PROXY: proxy.url }));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`✓ Proxy        REST via ${proxy.url}, socket via ${proxy.url}`);
    expect(through("/api/v1/agent/me")).toHaveLength(1);
    expect(through("/api/v1/socket/websocket")).toHaveLength(1);
  });
});
