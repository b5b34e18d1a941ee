/** The sandbox's world between runs (BAND_SANDBOX_DIR): kept, restored, set aside when unreadable, never shared. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxDir, startSandbox, type Sandbox } from "../../src/sandbox/main.js";

const dirs: string[] = [];
const open: Sandbox[] = [];

afterEach(async () => {
  for (const sandbox of open.splice(0)) await sandbox.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "band-world-"));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, dir });
  open.push(sandbox);
  return sandbox;
}

async function stop(sandbox: Sandbox): Promise<void> {
  open.splice(open.indexOf(sandbox), 1);
  await sandbox.close();
}

async function control(sandbox: Sandbox, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}/sandbox/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return response.json();
}

async function asAgent(sandbox: Sandbox, path: string, method = "GET"): Promise<any> {
  const response = await fetch(`${sandbox.url}/api/v1/agent${path}`, { method, headers: { "x-api-key": sandbox.agentKey } });
  return response.status === 204 ? undefined : response.json();
}

describe("the sandbox's world between runs", () => {
  it("comes back after a restart: same world, key, rooms, messages and processing states, and the agent's queue", async () => {
    const dir = freshDir();
    const first = await start(dir);
    expect(first.storage).toEqual({ kind: "file", file: join(dir, "world.json"), restored: false });
    const world = await control(first, "/world");
    const team = world.rooms.find((r: any) => r.title === "Team room");
    const claimed = await control(first, `/rooms/${team.id}/messages`, { as: "grace", content: "@ada/assistant **first**" });
    const waiting = await control(first, `/rooms/${team.id}/messages`, { as: "alan", content: "@ada/assistant second" });
    await asAgent(first, `/chats/${team.id}/messages/${claimed.id}/processing`, "POST");
    await control(first, "/rooms", { title: "Made before the restart" });
    await stop(first);

    const second = await start(dir);
    expect(second.storage).toMatchObject({ kind: "file", restored: true });
    expect(second.agentKey).toBe(first.agentKey);
    const again = await control(second, "/world");
    expect(again.world.id).toBe(world.world.id);
    expect(again.rooms.map((r: any) => [r.id, r.title])).toEqual([...world.rooms.map((r: any) => [r.id, r.title]), [expect.any(String), "Made before the restart"]]);
    const messages = (await control(second, `/rooms/${team.id}/messages`)).messages;
    expect(messages.map((m: any) => [m.id, m.content, m.states[0].state])).toEqual([
      [claimed.id, "@ada/assistant **first**", "processing"],
      [waiting.id, "@ada/assistant second", "unprocessed"],
    ]);
    // Band's agent API reads the same queue: the claimed message is still the agent's to finish.
    const next = await asAgent(second, `/chats/${team.id}/messages/next`);
    expect(next.data.id).toBe(claimed.id);
    // New messages follow the old ones.
    const later = await control(second, `/rooms/${team.id}/messages`, { as: "grace", content: "@ada/assistant third" });
    expect((await control(second, `/rooms/${team.id}/messages`)).messages.at(-1).id).toBe(later.id);
    // Written by rename: no temporary file is ever left beside the world.
    await stop(second);
    expect(readdirSync(dir).sort()).toEqual(["world.json"]);
    expect(readFileSync(join(dir, "world.json"), "utf8")).toContain(later.id);
  });

  it("sets an unreadable file aside, says so, and starts a new world", async () => {
    for (const garbage of ["{not json", JSON.stringify({ format: 1, world_id: "x", demo: { agent_id: "a", people_ids: ["p"] }, actors: [], rooms: [], messages: [] })]) {
      const dir = freshDir();
      writeFileSync(join(dir, "world.json"), garbage);
      const sandbox = await start(dir);
      expect(sandbox.storage).toMatchObject({ kind: "file", restored: false, setAside: { file: expect.stringContaining(join(dir, "world.json.unreadable-")) } });
      const aside = (sandbox.storage as { setAside: { file: string } }).setAside.file;
      expect(readFileSync(aside, "utf8")).toBe(garbage);
      expect((await control(sandbox, "/world")).people).toHaveLength(3);
      await stop(sandbox);
    }
  });

  it("is kept by one sandbox at a time: a second one on the same folder runs a temporary world and says so", async () => {
    const dir = freshDir();
    const first = await start(dir);
    const second = await start(dir);
    expect(second.storage).toEqual({ kind: "busy", dir, holderPid: process.pid });
    expect((await control(second, "/world")).world).toMatchObject({ kept_in: null, temporary: expect.stringContaining(dir) });
    expect(second.agentKey).not.toBe(first.agentKey);
    await stop(second);
    await stop(first);
    // The first one's world is the one kept.
    const third = await start(dir);
    expect(third.agentKey).toBe(first.agentKey);
  });

  it("lives in BAND_SANDBOX_DIR, else in the per-user data folder", () => {
    expect(sandboxDir({ BAND_SANDBOX_DIR: "/tmp/here" })).toBe("/tmp/here");
    if (process.platform === "linux") {
      expect(sandboxDir({ XDG_DATA_HOME: "/data" })).toBe("/data/band-mcp-server/sandbox");
      expect(sandboxDir({})).toMatch(/\/\.local\/share\/band-mcp-server\/sandbox$/);
    }
  });
});
