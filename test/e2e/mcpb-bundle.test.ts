import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { getMcpConfigForManifest, type McpbManifestAny } from "@anthropic-ai/mcpb";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TOOLSETS } from "../../src/config.js";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { MCPB_CLI, packMcpb } from "../../scripts/pack-mcpb.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "band-mcpb-"));
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const unpacked = join(scratch, "unpacked");
const manifestPath = join(scratch, "mcpb/stage/manifest.json");
let fake: FakeBand;

beforeAll(async () => {
  const file = packMcpb(join(scratch, "mcpb"));
  await run(process.execPath, [MCPB_CLI, "unpack", file, unpacked]);
  fake = await startFakeBand();
}, 60_000);

afterAll(async () => {
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The unpacked bundle started as Claude Desktop starts it: the manifest's command, with the extension's settings
 * substituted by mcpb's own code (what Desktop runs), in an environment holding nothing else but PATH and where the
 * sandbox keeps its world. Calls `use` with a connected client and what the server wrote on stderr so far.
 */
async function asDesktopRuns(userConfig: Record<string, string | boolean>, use: (client: Client, stderr: () => string) => Promise<void>): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as McpbManifestAny;
  const config = await getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: {}, userConfig, pathSeparator: "/" });
  if (!config) throw new Error(`Desktop would not start the extension with ${JSON.stringify(userConfig)}: a required setting is missing`);
  const env = { PATH: process.env.PATH ?? "", BAND_SANDBOX_DIR: join(scratch, "sandbox-world"), ...config.env };
  const transport = new StdioClientTransport({ command: process.execPath, args: config.args ?? [], env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: "claude-desktop", version: "1.0.0" });
  await client.connect(transport);
  try {
    await use(client, () => stderr);
  } finally {
    await client.close();
  }
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, any> };

describe("Claude Desktop bundle (npm run pack:mcpb)", () => {
  it("packs a bundle whose manifest mcpb validates: an optional sensitive key, a sandbox choice, the tools", async () => {
    const validated = await run(process.execPath, [MCPB_CLI, "validate", manifestPath]);
    expect(validated.stdout).toMatch(/validation passes/i);

    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      version: string;
      server: { entry_point: string; mcp_config: { args: string[]; env: Record<string, string> } };
      user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: unknown }>;
      tools: { name: string }[];
    };
    expect(manifest.version).toBe(version);
    expect(manifest.user_config.api_key).toMatchObject({ type: "string", sensitive: true, required: false });
    expect(manifest.user_config.sandbox).toMatchObject({ type: "boolean", default: false });
    expect(manifest.user_config.base_url?.default).toBe("https://app.band.ai");
    expect(manifest.user_config.toolsets?.default).toBe(DEFAULT_TOOLSETS.join(","));
    expect(manifest.server.mcp_config.args).toEqual([`\${__dirname}/${manifest.server.entry_point}`]);
    expect(manifest.server.mcp_config.env).toEqual({
      BAND_API_KEY: "${user_config.api_key}",
      BAND_MCPB_SANDBOX: "${user_config.sandbox}",
      BAND_BASE_URL: "${user_config.base_url}",
      BAND_TOOLSETS: "${user_config.toolsets}",
    });
    expect(manifest.tools.map((t) => t.name)).toEqual(ALL_TOOLS.filter((t) => DEFAULT_TOOLSETS.includes(t.toolset)).map((t) => t.name));

    const { stdout } = await run(process.execPath, [join(unpacked, "server/cli.js"), "--version"], { env: { PATH: process.env.PATH ?? "" } });
    expect(stdout.trim()).toBe(version);
  });

  it("with no key given, runs on the embedded sandbox: no account needed, tools listed, web chat served", async () => {
    await asDesktopRuns({}, async (client, stderr) => {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(["band_status", "band_wait_for_message", "band_send_message"]));
      const chats = (await client.callTool({ name: "band_list_chats", arguments: {} })) as ToolResult;
      expect(chats.isError, JSON.stringify(chats)).toBeFalsy();
      expect(chats.structuredContent?.items?.length).toBeGreaterThan(0);
      expect(stderr()).toMatch(/no agent key in the extension's settings, so this runs on the local sandbox/);
      const chatUrl = /sandbox chat at (\S+)/.exec(stderr())?.[1];
      expect((await fetch(chatUrl!)).status, stderr()).toBe(200);
      expect(client.getInstructions()).toContain(chatUrl);
    });
  }, 60_000);

  it("with a key given, goes to that Band with it; with the sandbox chosen as well, the key stays out of it", async () => {
    await asDesktopRuns({ api_key: fake.agent.key, base_url: fake.url }, async (client, stderr) => {
      const chats = (await client.callTool({ name: "band_list_chats", arguments: {} })) as ToolResult;
      expect(chats.isError, JSON.stringify(chats)).toBeFalsy();
      expect(chats.structuredContent?.items?.map((c: { id: string }) => c.id)).toContain(fake.room.id);
      expect(stderr()).not.toMatch(/sandbox/);
    });
    const keyedRequests = fake.requests.length;
    await asDesktopRuns({ api_key: fake.agent.key, base_url: fake.url, sandbox: true }, async (client, stderr) => {
      const chats = (await client.callTool({ name: "band_list_chats", arguments: {} })) as ToolResult;
      expect(chats.isError, JSON.stringify(chats)).toBeFalsy();
      expect(chats.structuredContent?.items?.map((c: { id: string }) => c.id)).not.toContain(fake.room.id);
      expect(stderr()).toMatch(/sandbox chat at /);
      expect(stderr()).not.toMatch(/no agent key/);
    });
    expect(fake.requests.length, "the sandbox run never called the Band the key belongs to").toBe(keyedRequests);
  }, 60_000);
});
