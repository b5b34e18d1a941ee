import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The README's first commands and host snippets, taken as written and run against the packed tarball in a
 * temporary HOME: what a person with a fresh machine pastes must work.
 */
const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const hosts = readFileSync(join(root, "docs/hosts.md"), "utf8");
const PLACEHOLDER_ENTRY = "/absolute/path/to/band-mcp-server/dist/cli.js";
let home: string;
let pkg: string;

/** The fenced blocks of a language, in order. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```", "gm"))].map((m) => m[1]!);
}

/** The commands of a shell block: comments and blank lines dropped. */
function commands(block: string): string[] {
  return block.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean);
}

function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`## ${title}`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Spawns a host config entry as a host does, initializes, lists tools. */
async function connects(entry: { command: string; args: string[]; env?: Record<string, string> }): Promise<string[]> {
  const transport = new StdioClientTransport({ ...entry, env: { PATH: process.env.PATH ?? "", HOME: home, ...entry.env }, stderr: "pipe" });
  const client = new Client({ name: "readme", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "band-readme-"));
  // npm pack of the built package (npm test builds first), unpacked as it would be installed: dist/ is self-contained.
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", home], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  mkdirSync(join(home, "install"));
  execFileSync("tar", ["xzf", join(home, tarball), "-C", join(home, "install")]);
  pkg = join(home, "install/package");
}, 120_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("the README, as written", () => {
  it("quick start: the first command passes the tests and is what CI runs; the second runs the server on the sandbox", () => {
    const [test, start] = commands(blocks(section(readme, "Quick start"), "sh")[0]!);
    expect(test).toBe("npm ci && npm test");
    const ci = readFileSync(join(root, ".ci/run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test\b/m);
    expect(start).toBe("npm start -- --sandbox");
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    // npm appends what follows `--` to the script: the server on the embedded sandbox.
    expect(scripts.start).toMatch(/&& node dist\/cli\.js$/);
  });

  it("every JSON snippet of the README and docs/hosts.md parses, and the Codex snippets are valid TOML", () => {
    const json = [...blocks(readme, "json"), ...blocks(hosts, "json")];
    expect(json.length).toBeGreaterThanOrEqual(5);
    for (const block of json) expect(() => JSON.parse(block), block).not.toThrow();
    const toml = [...blocks(readme, "toml"), ...blocks(hosts, "toml")];
    expect(toml.length).toBeGreaterThanOrEqual(2);
    for (const block of toml) expect(parseToml(block)).toMatchObject({ mcp_servers: { band: { command: "npx", args: ["-y", "band-mcp-server"] } } });
  });

  it("the clone's host config, with this package's path, connects: the JSON snippet and the Claude Code command", async () => {
    const snippet = JSON.parse(blocks(section(readme, "Connect a host"), "json")[0]!) as { mcpServers: Record<string, { command: string; args: string[] }> };
    const entry = snippet.mcpServers["band-sandbox"]!;
    expect(entry.args[0]).toBe(PLACEHOLDER_ENTRY);
    const tools = await connects({ command: entry.command, args: [join(pkg, "dist/cli.js"), ...entry.args.slice(1)] });
    expect(tools).toContain("band_wait_for_message");

    const claude = commands(blocks(section(readme, "Connect a host"), "sh").find((b) => b.includes("claude mcp add band-sandbox"))!)[0]!;
    const launch = claude.slice(claude.indexOf(" -- ") + 4);
    // What `claude mcp add` records: the shell expands "$PWD" in the package's folder.
    const words = execFileSync("sh", ["-c", `for w in ${launch}; do printf '%s\\n' "$w"; done`], { cwd: pkg, encoding: "utf8" }).trim().split("\n");
    expect(words).toEqual(["node", join(pkg, "dist/cli.js"), "--sandbox"]);
    expect(await connects({ command: words[0]!, args: words.slice(1) })).toContain("band_wait_for_message");
  });

  it("the config the program prints for this package connects, and its Codex form is valid TOML", async () => {
    const entry = join(pkg, "dist/cli.js");
    const printed = execFileSync(process.execPath, [entry, "setup", "claude-desktop", "--sandbox"], { env: { PATH: process.env.PATH ?? "", HOME: home }, encoding: "utf8" });
    const config = JSON.parse(printed.slice(printed.indexOf("{\n"), printed.indexOf("\n}\n") + 2)) as { mcpServers: Record<string, { command: string; args: string[] }> };
    expect(config.mcpServers["band-sandbox"]).toEqual({ command: "node", args: [entry, "--sandbox"] });
    expect(await connects(config.mcpServers["band-sandbox"]!)).toContain("band_wait_for_message");

    const codex = spawnSync(process.execPath, [entry, "setup", "codex"], { env: { PATH: process.env.PATH ?? "", HOME: home }, encoding: "utf8" });
    const table = codex.stdout.slice(codex.stdout.indexOf("[mcp_servers"), codex.stdout.indexOf("\n\n", codex.stdout.indexOf("[mcp_servers")));
    expect(parseToml(table)).toEqual({ mcp_servers: { band: { command: "node", args: [entry], env: { BAND_API_KEY: "band_a_your_agent_key" } } } });
  });
});
