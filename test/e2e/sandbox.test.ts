import { spawn } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/harness.js";
import { controlApi, sandboxDir, spawnSandboxServer } from "../helpers/sandbox.js";

const CLI = join(import.meta.dirname, "../../dist/cli.js");
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
});

function runCli(args: string[], untilOutput?: RegExp, dir = sandboxDir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", BAND_SANDBOX_DIR: dir }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
      if (untilOutput?.test(stdout)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("band-mcp-server --sandbox", () => {
  it("serves stdio on an embedded sandbox: tools, a connected status, and a message posted through the control API delivered", async () => {
    // A real account's settings in the environment must not leak into the sandbox: with any of them honoured, the
    // server would never connect to the sandbox below.
    const realKey = `band_a_${"r".repeat(24)}`;
    const { client, chatUrl, stderr } = await spawnSandboxServer({
      BAND_API_KEY: realKey,
      BAND_API_KEY_OPS: realKey,
      BAND_WS_URL: "ws://127.0.0.1:9/api/v1/socket",
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
    });
    clients.push(client);
    // Hosts rarely show stderr: the model learns where the person chats from the server's instructions.
    expect(client.getInstructions()).toContain(`people write to you from its web chat at ${chatUrl}`);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["band_wait_for_message", "band_send_message", "band_status"]));

    await waitFor(async () => {
      const status = (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string; chats_joined: number };
      return status.connection === "connected" && status.chats_joined === 2;
    }, "connected to the sandbox, both rooms joined");

    const world = await controlApi(chatUrl, "/world");
    const team = world.rooms.find((r: any) => r.title === "Team room");
    const posted = await controlApi(chatUrl, `/rooms/${team.id}/messages`, { as: "grace", content: "@ada/assistant what's new?" });
    const waited = (await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 10 } })).structuredContent as any;
    expect(waited.messages).toHaveLength(1);
    expect(waited.messages[0]).toMatchObject({ id: posted.id, chat_id: team.id, content: "@ada/assistant what's new?", sender: { handle: "grace" } });

    await client.callTool({ name: "band_send_message", arguments: { chat_id: team.id, content: "Nothing yet, @grace", mentions: ["grace"], reply_to_message_id: posted.id } });
    const state = await controlApi(chatUrl, `/messages/${posted.id}`);
    expect(state.states).toEqual([expect.objectContaining({ handle: "ada/assistant", state: "processed" })]);
    const room = await controlApi(chatUrl, `/rooms/${team.id}/messages`);
    expect(room.messages.map((m: any) => [m.sender.handle, m.content])).toEqual([
      ["grace", "@ada/assistant what's new?"],
      // Band prepends only a mention the text does not already reference.
      ["ada/assistant", "Nothing yet, @grace"],
    ]);
    expect(stderr()).not.toMatch(/band_a_[A-Za-z0-9]{16}/);
    expect(stderr()).not.toContain(realKey);
  });
});

describe("band-mcp-server sandbox", () => {
  it("prints the two settings to connect, sourceable by a shell, and the chat's address", async () => {
    const { code, stdout } = await runCli(["sandbox", "--port", "0"], /Ctrl-C/);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^BAND_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^BAND_API_KEY=band_a_[A-Za-z0-9]{24}$/);
    expect(lines.slice(2).every((line) => line.startsWith("# "))).toBe(true);
    expect(stdout).toContain("Chat in your browser: http://127.0.0.1:");
  });

  it("keeps its world in BAND_SANDBOX_DIR: restarted, the agent's key, rooms and messages are the same", async () => {
    const dir = sandboxDir();
    const first = await runCli(["sandbox", "--port", "0"], /Ctrl-C/, dir);
    expect(first.stdout).toContain(`# World kept in ${join(dir, "world.json")}`);
    const second = await runCli(["sandbox", "--port", "0"], /Ctrl-C/, dir);
    expect(second.stdout).toContain(`# World restored from ${join(dir, "world.json")}`);
    const key = (out: string) => /^BAND_API_KEY=(.*)$/m.exec(out)?.[1];
    // A host configured with the printed key keeps working across restarts.
    expect(key(second.stdout)).toBe(key(first.stdout));
  });

  it("refuses flags that do not go with the sandbox, and a taken port", async () => {
    const http = await runCli(["--sandbox", "--http"]);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain("--sandbox does not take --http");
    const baseUrl = await runCli(["sandbox", "--base-url", "http://example.com"]);
    expect(baseUrl.code).toBe(2);
    expect(baseUrl.stderr).toContain("--base-url does not go with the sandbox");

    const first = spawn(process.execPath, [CLI, "sandbox", "--port", "0"], { env: { PATH: process.env.PATH ?? "", BAND_SANDBOX_DIR: sandboxDir() }, stdio: ["ignore", "pipe", "ignore"] });
    try {
      let out = "";
      first.stdout.on("data", (c) => (out += c));
      await waitFor(() => out.includes("BAND_BASE_URL="), "first sandbox up");
      const port = /127\.0\.0\.1:(\d+)/.exec(out)![1]!;
      const taken = await runCli(["sandbox", "--port", port]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      // The embedded sandbox too: an explicit port is never silently swapped for another.
      const embedded = await runCli(["--sandbox", "--port", port]);
      expect(embedded.code).toBe(1);
      expect(embedded.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      first.kill("SIGTERM");
    }
  });
});
