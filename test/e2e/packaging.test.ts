import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "band-packaging-"));
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Claude Code, for its plugin validator: not a dependency (hundreds of MB for one check). `.ci/run` installs it
 * on demand and names its launcher in CLAUDE_CODE_CLI; elsewhere a `claude` on PATH serves, or the checks are
 * skipped with a warning.
 */
function findClaude(): { command: string; args: string[] } | undefined {
  const cli = process.env.CLAUDE_CODE_CLI;
  if (cli) return existsSync(cli) ? { command: process.execPath, args: [cli] } : undefined;
  return spawnSync("claude", ["--version"], { stdio: "ignore", timeout: 30_000 }).status === 0 ? { command: "claude", args: [] } : undefined;
}
const claude = findClaude();
if (!claude && process.env.REQUIRE_PLUGIN_VALIDATE) throw new Error(`REQUIRE_PLUGIN_VALIDATE is set but Claude Code is not at CLAUDE_CODE_CLI (${process.env.CLAUDE_CODE_CLI ?? "unset"})`);
if (!claude) console.warn("plugin validation skipped: no Claude Code (install it, or set CLAUDE_CODE_CLI to its cli-wrapper.cjs; .ci/run does)");

/** Claude Code's own validator (offline: it reads the files, needs no login or model), in a throwaway HOME. */
async function claudeValidate(path: string): Promise<{ success: boolean; manifest: { errors: unknown[]; warnings: unknown[] }; provides?: { mcpServers: { name: string; target: string; args: string[] }[]; monitors: { name: string; command: string }[]; skills: string[] } }> {
  const env = { PATH: process.env.PATH ?? "", HOME: scratch, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_AUTOUPDATER: "1" };
  const { stdout } = await run(claude!.command, [...claude!.args, "plugin", "validate", "--strict", "--json", path], { env, timeout: 60_000 });
  return JSON.parse(stdout);
}

describe.skipIf(!claude)("Claude Code plugin and marketplace", () => {
  it("the marketplace validates strictly and lists the band plugin from this repository", async () => {
    const report = await claudeValidate(root);
    expect(report.success, JSON.stringify(report.manifest)).toBe(true);
    expect(report.manifest.warnings).toEqual([]);
    const marketplace = JSON.parse(readFileSync(join(root, ".claude-plugin/marketplace.json"), "utf8")) as { name: string; plugins: { name: string; source: string }[] };
    expect(marketplace.plugins.map((p) => p.name)).toEqual(["band", "band-sandbox"]);
    for (const plugin of marketplace.plugins) expect(existsSync(join(root, plugin.source, ".claude-plugin/plugin.json"))).toBe(true);
  });

  it("the sandbox plugin validates strictly and launches the published server on the sandbox, as a channel, with no key", async () => {
    const report = await claudeValidate(join(root, "plugins/band-sandbox"));
    expect(report.success, JSON.stringify(report.manifest)).toBe(true);
    expect(report.manifest.warnings).toEqual([]);
    expect(report.provides?.mcpServers).toEqual([expect.objectContaining({ name: "band-sandbox", target: "npx", args: ["-y", "band-mcp-server", "--sandbox", "--channel"] })]);
    const plugin = JSON.parse(readFileSync(join(root, "plugins/band-sandbox/.claude-plugin/plugin.json"), "utf8")) as { version: string };
    expect(plugin.version, "the plugin's version follows the package it runs").toBe(version);
  });

  it("the plugin validates strictly: the published server with its key from Claude Code's secure storage, its channel, the watch monitor and a configure skill", async () => {
    const report = await claudeValidate(join(root, "plugins/band"));
    expect(report.success, JSON.stringify(report.manifest)).toBe(true);
    expect(report.manifest.warnings).toEqual([]);
    expect(report.provides?.mcpServers).toEqual([expect.objectContaining({ name: "band", target: "npx", args: ["-y", "band-mcp-server"] })]);
    expect(report.provides?.monitors).toEqual([expect.objectContaining({ name: "band-inbox", command: "npx -y band-mcp-server watch" })]);
    expect(report.provides?.skills).toEqual(["band:configure"]);
    const plugin = JSON.parse(readFileSync(join(root, "plugins/band/.claude-plugin/plugin.json"), "utf8")) as {
      version: string;
      userConfig: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: unknown }>;
      channels: { server: string }[];
    };
    expect(plugin.version, "the plugin's version follows the package it runs").toBe(version);
    expect(plugin.userConfig.band_api_key).toMatchObject({ type: "string", sensitive: true, required: true });
    expect(plugin.userConfig.channel).toMatchObject({ type: "boolean", default: false });
    expect(plugin.channels).toEqual([expect.objectContaining({ server: "band" })]);
    const servers = JSON.parse(readFileSync(join(root, "plugins/band/.mcp.json"), "utf8")) as { mcpServers: Record<string, { env: Record<string, string> }> };
    expect(servers.mcpServers.band!.env).toEqual({ BAND_API_KEY: "${user_config.band_api_key}", BAND_CHANNEL: "${user_config.channel}" });
  });
});
