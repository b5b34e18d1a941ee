import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type Actor, type FakeBand } from "../fake-band/index.js";
import { drain } from "../helpers/drain.js";
import { addAgentInRoom, fakeBandEnv } from "../helpers/fake-env.js";
import { waitFor } from "../helpers/harness.js";
import { connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * A standby pair of hubs (docs/deploy.md): two `--http` processes with the same keys against the fake Band. The
 * first holds every agent; the second stands by for each. When the first dies (SIGKILL) or exits cleanly, the
 * second takes every agent over within BAND_STANDBY_SECONDS, and each agent's health is 200 only on the hub
 * where that agent is live — what a load balancer routes by. Band's own records show nothing lost and nothing
 * handed out twice by one process.
 */
const STANDBY_SECONDS = 2;
const LABELS = ["default", "sales", "billing"] as const;
const TOKEN = `pair-${"p".repeat(32)}`;

let fake: FakeBand;
let agents: Record<(typeof LABELS)[number], Actor>;
const hubs: RunningServer[] = [];
const clients: Client[] = [];

function spawnHub(): Promise<RunningServer> {
  return spawnHttpServer(
    fakeBandEnv(fake, {
      BAND_STANDBY_SECONDS: String(STANDBY_SECONDS),
      BAND_MCP_HTTP_TOKEN: TOKEN,
      BAND_API_KEY: agents.default.key,
      BAND_API_KEY_SALES: agents.sales.key,
      BAND_API_KEY_BILLING: agents.billing.key,
    }),
  ).then((hub) => (hubs.push(hub), hub));
}

const health = async (hub: RunningServer, label: string) => (await fetch(`${hub.base}/agents/${label}/health`)).status;
const healths = (hub: RunningServer) => Promise.all(LABELS.map((label) => health(hub, label)));

async function mcp(hub: RunningServer, label: string): Promise<Client> {
  const { client } = await connectHttp(`${hub.base}/agents/${label}/mcp`, TOKEN);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  fake = await startFakeBand();
  agents = { default: fake.agent, sales: addAgentInRoom(fake, "Sales", "alice/sales"), billing: addAgentInRoom(fake, "Billing", "alice/billing") };
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  for (const hub of hubs.splice(0)) if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill("SIGKILL");
  await fake.close();
});

describe("a standby pair of hubs", () => {
  for (const ending of ["SIGKILL", "a clean exit (SIGTERM)"] as const) {
    it(`the second takes every agent over within BAND_STANDBY_SECONDS after ${ending}; per-agent health follows the live agent`, async () => {
      const post = (label: (typeof LABELS)[number], text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [agents[label].id] });
      const first = await spawnHub();
      await waitFor(async () => (await healths(first)).every((s) => s === 200), "the first hub holds every agent", 15_000);
      const second = await spawnHub();
      await waitFor(async () => {
        const list = (await (await fetch(`${second.base}/agents`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { connection: string }[];
        return list.every((a) => a.connection === "conflict");
      }, "the second hub stands by for every agent", 15_000);
      expect(await healths(second), "a standby gets no agent's traffic").toEqual([503, 503, 503]);
      expect(await healths(first)).toEqual([200, 200, 200]);

      // Served by the first: one message per agent, handed out and processed there.
      const before = LABELS.map((label) => post(label, `before, for ${label}`));
      // The agents drain side by side, as a hub's clients do: each drain ends on an empty wait, which need not queue.
      const servedFirst = await Promise.all(LABELS.map(async (label) => drain(await mcp(first, label))));
      for (const [i] of LABELS.entries()) expect(servedFirst[i]).toEqual([before[i]!.id]);
      // Handed out by the first but never marked: a crash leaves it unprocessed on Band for the next process.
      const unfinished = post("sales", "unfinished");
      const firstSales = await mcp(first, "sales");
      const handed = await firstSales.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
      expect((handed.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([unfinished.id]);

      // The claim follows the hand-out asynchronously: kill only once Band has it, or the count below races.
      await waitFor(async () => fake.delivery(unfinished.id, agents.sales.id).attempts.length === 1, "the first hub's claim reached Band", 5_000);
      if (ending === "SIGKILL") first.child.kill("SIGKILL");
      else first.child.kill("SIGTERM");
      await first.exited;
      const gone = Date.now();
      const meanwhile = LABELS.map((label) => post(label, `meanwhile, for ${label}`));
      await waitFor(async () => (await healths(second)).every((s) => s === 200), "the second hub holds every agent", 15_000);
      expect(Date.now() - gone, "within BAND_STANDBY_SECONDS (plus a drain)").toBeLessThan(STANDBY_SECONDS * 1000 + 2_000);

      const after = LABELS.map((label) => post(label, `after, for ${label}`));
      const servedSecond = await Promise.all(LABELS.map(async (label) => drain(await mcp(second, label))));
      for (const [i, label] of LABELS.entries()) {
        const expected = [...(label === "sales" ? [unfinished.id] : []), meanwhile[i]!.id, after[i]!.id];
        expect(servedSecond[i], label).toEqual(expected);
      }
      // Band's records: every message processed, none claimed twice except the one the first never finished.
      for (const message of [...before, unfinished, ...meanwhile, ...after]) {
        const owner = LABELS.find((label) => message.content.endsWith(label)) ?? "sales";
        const delivery = fake.delivery(message.id, agents[owner].id);
        expect(delivery.status, message.content).toBe("processed");
        expect(delivery.attempts.length, message.content).toBe(message.id === unfinished.id ? 2 : 1);
      }
      expect(new Set(fake.socket.upgrades.map((u) => u.query.on_conflict))).toEqual(new Set(["reject"]));
    }, 60_000);
  }
});
