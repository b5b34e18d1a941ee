/**
 * Two real processes with one key (docs/delivery.md guarantee 5): the built server twice against the fake Band. The
 * second stands by; when the first dies (SIGKILL) or exits cleanly, the second takes over within
 * BAND_STANDBY_SECONDS and delivers every message posted meanwhile, exactly once, without ever superseding.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { drain } from "../helpers/drain.js";
import { fakeBandEnv } from "../helpers/fake-env.js";
import { waitFor } from "../helpers/harness.js";

const CLI = join(import.meta.dirname, "../../dist/cli.js");
const STANDBY_SECONDS = 2;
let fake: FakeBand;
const clients: Client[] = [];

async function spawnServer(): Promise<{ client: Client; transport: StdioClientTransport }> {
  const env = fakeBandEnv(fake, { BAND_API_KEY: fake.agent.key, BAND_STANDBY_SECONDS: String(STANDBY_SECONDS) });
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env, stderr: "pipe" });
  const client = new Client({ name: "e2e-standby", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

const status = async (client: Client) => (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string; chats_joined: number; detail?: string };

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  await fake.close();
});

describe("a standby pair of real processes", () => {
  for (const ending of ["SIGKILL", "a clean exit"] as const) {
    it(`the second takes over within BAND_STANDBY_SECONDS after ${ending}, delivering what was posted meanwhile exactly once`, async () => {
      const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
      const first = await spawnServer();
      await waitFor(async () => (await status(first.client)).chats_joined >= 1, "first connected", 10_000);
      const second = await spawnServer();
      await waitFor(async () => (await status(second.client)).connection === "conflict", "second stands by", 10_000);
      expect((await status(second.client)).detail).toMatch(/Standing by/);
      const before = post("before");
      expect(await drain(first.client)).toEqual([before.id]);

      if (ending === "SIGKILL") process.kill(first.transport.pid!, "SIGKILL");
      else await first.client.close();
      const gone = Date.now();
      const meanwhile = Array.from({ length: 5 }, (_, i) => post(`meanwhile ${i}`));
      await waitFor(async () => (await status(second.client)).connection === "connected", "second took over", 10_000);
      expect(Date.now() - gone).toBeLessThan(STANDBY_SECONDS * 1000 + 1_500);
      const after = post("after");
      expect(await drain(second.client)).toEqual([...meanwhile, after].map((m) => m.id));
      expect(new Set(fake.socket.upgrades.map((u) => u.query.on_conflict))).toEqual(new Set(["reject"]));
      expect(fake.socket.frames.some((f) => Array.isArray(f.frame) && f.frame[3] === "supersede")).toBe(false);
    });
  }
});
