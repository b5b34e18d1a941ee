import { execFile, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/harness.js";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "../../dist/cli.js");
const ENV = { PATH: process.env.PATH ?? "" };

async function setup(...args: string[]): Promise<string> {
  return (await run(process.execPath, [CLI, "setup", ...args], { env: ENV })).stdout;
}

/** The JSON object that follows a section's heading line. */
function jsonAfter(text: string, heading: string): any {
  const from = text.indexOf(heading);
  const start = text.indexOf("{\n", from);
  const end = text.indexOf("\n}\n", start);
  return JSON.parse(text.slice(start, end + 2));
}

describe("band-mcp-server setup", () => {
  it("prints, for every host, a config whose command starts this checkout's server; the printed config connects", async () => {
    const text = await setup("--sandbox");
    expect(text).toContain(`claude mcp add band-sandbox -- node ${CLI} --sandbox`);
    const desktop = jsonAfter(text, "Claude Desktop:");
    expect(desktop).toEqual({ mcpServers: { "band-sandbox": { command: "node", args: [CLI, "--sandbox"] } } });
    expect(text).toContain("Library/Application Support/Claude/claude_desktop_config.json");
    expect(text).toContain("%APPDATA%\\Claude\\claude_desktop_config.json");
    expect(jsonAfter(text, "Cursor:")).toEqual(desktop);
    expect(jsonAfter(text, "VS Code:")).toEqual({ servers: { "band-sandbox": { type: "stdio", command: "node", args: [CLI, "--sandbox"] } } });
    const codex = text.slice(text.indexOf("Codex:"));
    expect(codex).toContain("[mcp_servers.band-sandbox]");
    expect(JSON.parse(/^args = (\[.*\])$/m.exec(codex)![1]!)).toEqual([CLI, "--sandbox"]);

    // What a host does with it: spawn the command as written, initialize, list tools.
    const entry = desktop.mcpServers["band-sandbox"];
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: ENV, stderr: "pipe" });
    const client = new Client({ name: "setup-e2e", version: "1.0.0" });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("band_wait_for_message");
    } finally {
      await client.close();
    }
  });

  it("prints one host on request, with the key as a placeholder (never a secret from the environment)", async () => {
    const { stdout } = await run(process.execPath, [CLI, "setup", "codex"], { env: { ...ENV, BAND_API_KEY: "band_a_" + "realsecret0123456789" } });
    expect(stdout).toContain("[mcp_servers.band]");
    expect(stdout).toContain('env = { BAND_API_KEY = "band_a_your_agent_key" }');
    expect(stdout).not.toContain("Claude Desktop");
    expect(stdout).not.toContain("realsecret");
    expect(await setup("claude-code")).toContain(`claude mcp add band --env BAND_API_KEY="$BAND_API_KEY" -- node ${CLI}`);
  });

  it("refuses an unknown host, a stray word and a flag it does not use, with exit code 2", async () => {
    const result = spawnSync(process.execPath, [CLI, "setup", "emacs", "now", "--port", "1", "--bogus"], { env: ENV, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown host "emacs"');
    expect(result.stderr).toContain('unexpected "now"');
    expect(result.stderr).toContain("setup does not take --port");
    expect(result.stderr).toContain("unknown option --bogus");
    expect(result.stdout).toBe("");
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("a terminal is not a host", () => {
  it.skipIf(!hasScript)("the stdio server started with a terminal on stdin says what it is and how to connect a host", async () => {
    // `script` gives the server a pseudo-terminal as stdin, as a person's shell would.
    const child = spawn("script", ["-qec", `${process.execPath} ${CLI} --sandbox --port 0`, "/dev/null"], { env: { ...ENV, TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += String(chunk)));
    try {
      await waitFor(() => output.includes("Every host's config:"), "the terminal hint", 15_000);
      expect(output).toContain("is an MCP server");
      expect(output).toContain(`claude mcp add band-sandbox -- node ${CLI} --sandbox`);
      expect(output).toContain(`node ${CLI} setup --sandbox`);
      expect(output).toMatch(/sandbox chat at http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("a host's pipe gets no hint: stderr carries logs only", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "--sandbox", "--port", "0"], env: ENV, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk) => (stderr += String(chunk)));
    const client = new Client({ name: "setup-e2e", version: "1.0.0" });
    await client.connect(transport);
    await client.listTools();
    await client.close();
    expect(stderr).toContain("sandbox chat at");
    expect(stderr).not.toContain("is an MCP server");
  });
});
