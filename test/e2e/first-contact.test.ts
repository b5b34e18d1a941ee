import { spawn } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { waitFor } from "../helpers/harness.js";
import { startHostileBand } from "../helpers/hostile-band.js";
import { spawnHttpServer } from "../helpers/http-server.js";

/** First contact with Band as a host sees it: the built bin over stdio, its exit code and its stderr. */
const CLI = join(import.meta.dirname, "../../dist/cli.js");
// Key-shaped but made up (split so that secret scanners do not take it for a real key).
const WRONG_KEY = "band_a_" + "wrongKey0123456789abcdefXYZ";
let fake: FakeBand;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  await fake.close();
});

function bandEnv(key: string, baseUrl = fake.url): Record<string, string> {
  return { PATH: process.env.PATH ?? "", BAND_API_KEY: key, BAND_BASE_URL: baseUrl, BAND_LOG_LEVEL: "info" };
}

/** Runs the bin with stdin kept open, as a host does; resolves when it exits (or after `ms`, killing it). */
function runUntilExit(env: Record<string, string>, ms = 15_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.on("data", (c) => (stdout += c));
    // What a host sends first: it must never be answered for a rejected key.
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "host", version: "1" } } })}\n`);
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

async function connectStdio(env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (c) => (stderr += String(c)));
  const client = new Client({ name: "first-contact", version: "1.0.0" });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, stderr: () => stderr };
}

describe("first contact over stdio", () => {
  it("a key Band rejects exits 1 with the reason before initialize is answered, and never shows the key", async () => {
    const { code, stderr, stdout } = await runUntilExit(bandEnv(WRONG_KEY));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("Band rejected BAND_API_KEY (HTTP 401");
    expect(stderr).toContain("agent's page on Band");
    expect(stderr).not.toContain("wrongKey");
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/v1/agent/me"]);
  });

  it("a placeholder key from the docs is refused by the settings check, without any request to Band", async () => {
    for (const placeholder of ["band_a_your_agent_key", "band_a_...", "band_a_…"]) {
      const { code, stderr } = await runUntilExit(bandEnv(placeholder));
      expect(code, placeholder).toBe(1);
      expect(stderr).toContain("BAND_API_KEY holds a placeholder from the docs");
    }
    expect(fake.requests).toEqual([]);
  });

  it("one info line says it connected, as whom, with how many rooms", async () => {
    const { client, stderr } = await connectStdio(bandEnv(fake.agent.key));
    await waitFor(() => stderr().includes("connected to Band as"), "the first-contact line");
    expect(stderr()).toMatch(new RegExp(`INFO band-mcp: connected to Band as @${fake.agent.handle} with 1 room;`));
    expect(((await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string }).connection).toBe("connected");
  });

  it("Band not answering does not block the start: tools answer, band_status and the log say why", async () => {
    const silent = await startHostileBand(() => ({ silent: true }));
    cleanups.push(() => silent.close());
    const started = Date.now();
    const { client, stderr } = await connectStdio(bandEnv(fake.agent.key, silent.url));
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    await waitFor(() => stderr().includes("not connected yet"), "the not-answering line", 10_000);
    expect(stderr()).toContain(`Band at ${silent.url}`);
    const status = (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string; ok: boolean };
    expect(status).toMatchObject({ ok: false, connection: "connecting" });
  });
});

describe("first contact in a hub", () => {
  it("a rejected key affects only its agent: the hub runs, and that agent's line says why", async () => {
    const server = await spawnHttpServer({ ...bandEnv(fake.agent.key), BAND_API_KEY_BROKEN: WRONG_KEY });
    cleanups.push(async () => {
      server.child.kill("SIGTERM");
      await server.exited;
    });
    await waitFor(() => server.stderr().includes("[broken] not connected"), "the broken agent's line");
    await waitFor(() => server.stderr().includes("[default] connected to Band as"), "the good agent's line");
    expect(server.stderr()).toContain("set BAND_API_KEY_BROKEN to a valid agent key");
    expect(server.stderr()).not.toContain("wrongKey");
    expect(server.child.exitCode).toBeNull();
  });
});
