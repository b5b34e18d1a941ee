import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { CLI } from "../helpers/http-server.js";

let fake: FakeBand;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, ...extra };
}

function doctor(extraEnv: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, "doctor"], { env: extraEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A port nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  await fake.close();
});

describe("band-mcp-server doctor", () => {
  it("passes against a working Band: key, REST, rooms, socket join; exit 0", async () => {
    const result = await doctor(env());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✓ Settings/);
    expect(result.stdout).toMatch(/✓ Proxy +REST direct, socket direct/);
    expect(result.stdout).toMatch(new RegExp(`✓ REST API .*Helper \\(@alice/helper\\), id ${fake.agent.id}`));
    expect(result.stdout).toMatch(/✓ Rooms +1 visible: "Project room"/);
    expect(result.stdout).toMatch(new RegExp(`✓ Live socket .*joined agent_rooms:${fake.agent.id}`));
    expect(result.stdout).toMatch(/All \d+ checks passed/);
    expect(result.stdout + result.stderr).not.toContain(fake.agent.key);
    expect(fake.socket.connectedAgents()).not.toContain(fake.agent.id);
  });

  it("fails with a wrong key, naming BAND_API_KEY; exit non-zero", async () => {
    const result = await doctor(env({ BAND_API_KEY: "band_a_not_a_real_key_123" }));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/✗ REST API +Band rejected the key in BAND_API_KEY \(HTTP 401\)/);
    expect(result.stdout).toMatch(/fix: .*BAND_API_KEY/);
    expect(result.stdout).toMatch(/– Live socket +skipped/);
    expect(result.stdout).not.toContain("band_a_not_a_real_key_123");
  });

  it("fails promptly when Band is unreachable, saying what to check", async () => {
    const port = await closedPort();
    const result = await doctor(env({ BAND_BASE_URL: `http://127.0.0.1:${port}`, BAND_WS_URL: `ws://127.0.0.1:${port}/api/v1/socket` }));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/✗ REST API +cannot reach Band \(connection refused\)/);
    expect(result.stdout).toMatch(/fix: Check BAND_BASE_URL/);
    expect(result.ms).toBeLessThan(5_000);
  });

  it("fails when the socket cannot be joined, with the reason", async () => {
    fake.socket.refuseUpgrades(409, { count: 1 });
    const result = await doctor(env());
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/✓ REST API/);
    expect(result.stdout).toMatch(/✗ Live socket +refused: another process holds this agent's Band connection/);
    expect(result.stdout).toMatch(/1 of \d+ checks failed/);
  });

  it("checks every agent of a hub, one section per label", async () => {
    const second = fake.addAgent({ name: "Second", handle: "alice/second" });
    const rejected = `band_a_${"r".repeat(24)}`;
    const result = await doctor(env({ BAND_API_KEY_SECOND: second.key, BAND_API_KEY_BAD: rejected }));
    expect(result.code).toBe(1);
    const sections = result.stdout.split(/\n(?=Agent ")/);
    expect(sections.slice(1).map((s) => s.split("\n")[0])).toEqual(['Agent "default" (BAND_API_KEY)', 'Agent "bad" (BAND_API_KEY_BAD)', 'Agent "second" (BAND_API_KEY_SECOND)']);
    expect(sections[1]).toMatch(new RegExp(`✓ Live socket .*joined agent_rooms:${fake.agent.id}`));
    expect(sections[2]).toMatch(/✗ REST API +Band rejected the key in BAND_API_KEY_BAD \(HTTP 401\)/);
    expect(sections[3]).toMatch(new RegExp(`✓ REST API .*Second \\(@alice/second\\), id ${second.id}`));
    expect(sections[3]).toMatch(/✓ Rooms +none visible yet/);
    expect(result.stdout).not.toContain(rejected);
    expect(result.stdout).not.toContain(second.key);
  });

  it("reports invalid settings as a failed check (exit 1)", async () => {
    const result = await doctor({ PATH: process.env.PATH ?? "", BAND_BASE_URL: "ftp://nope" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ Settings/);
    expect(result.stdout).toMatch(/BAND_API_KEY is not set/);
    expect(result.stdout).toMatch(/BAND_BASE_URL/);
  });
});
