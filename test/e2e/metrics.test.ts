import { randomUUID } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import parsePrometheusTextFormat, { type Family, type Sample } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type Actor, type FakeBand } from "../fake-band/index.js";
import { addAgentInRoom, fakeBandEnv } from "../helpers/fake-env.js";
import { waitFor } from "../helpers/harness.js";
import { connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/** Built at run time so no token-shaped literal is committed. */
const GLOBAL = `global-${"m".repeat(24)}`;
const SECOND_TOKEN = `second-${"n".repeat(24)}`;
const AGENTS = ["default", "second"];
/** Each listed family, its type, and the sample that every label set has. */
const SERIES: [string, Family["type"], string][] = [
  ["band_mcp_inbox_pending", "GAUGE", "band_mcp_inbox_pending"],
  ["band_mcp_inbox_in_flight", "GAUGE", "band_mcp_inbox_in_flight"],
  ["band_mcp_connection_up", "GAUGE", "band_mcp_connection_up"],
  ["band_mcp_messages_delivered_total", "COUNTER", "band_mcp_messages_delivered_total"],
  ["band_mcp_messages_dropped_total", "COUNTER", "band_mcp_messages_dropped_total"],
  ["band_mcp_socket_reconnects_total", "COUNTER", "band_mcp_socket_reconnects_total"],
  ["band_mcp_delivery_seconds", "HISTOGRAM", "band_mcp_delivery_seconds_count"],
  ["band_mcp_tool_calls_total", "COUNTER", "band_mcp_tool_calls_total"],
  ["band_mcp_tool_seconds", "HISTOGRAM", "band_mcp_tool_seconds_count"],
];

let fake: FakeBand;
let second: Actor;
let hub: RunningServer;
const clients: Client[] = [];

interface Scrape {
  status: number;
  type: string | null;
  /** Families as the parser reads the whole text (which also checks its syntax). */
  families: Map<string, Family>;
  text: string;
}

async function scrape(token?: string): Promise<Scrape> {
  const response = await fetch(`${hub.base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const families = response.status === 200 ? new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f])) : new Map<string, Family>();
  return { status: response.status, type: response.headers.get("content-type"), families, text };
}

/**
 * The samples named `sample` (`x_count` for a histogram's count) that carry these labels. The parser folds a
 * labelled histogram's series into one, so each sample line is read on its own (by the parser, untyped).
 */
function samples({ text }: Scrape, sample: string, labels: Record<string, string>): Sample[] {
  const lines = text.split("\n").filter((line) => line.startsWith(`${sample}{`) || line.startsWith(`${sample} `));
  return lines.flatMap((line) => parsePrometheusTextFormat(`${line}\n`)[0]!.metrics).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
}
const value = (scraped: Scrape, sample: string, labels: Record<string, string>) => {
  const found = samples(scraped, sample, labels);
  expect(found, `${sample} ${JSON.stringify(labels)}`).toHaveLength(1);
  return Number(found[0]!.value);
};

beforeAll(async () => {
  fake = await startFakeBand();
  second = addAgentInRoom(fake, "Second", "alice/second");
  hub = await spawnHttpServer(
    fakeBandEnv(fake, { BAND_API_KEY: fake.agent.key, BAND_API_KEY_SECOND: second.key, BAND_MCP_HTTP_TOKEN: GLOBAL, BAND_MCP_HTTP_TOKEN_SECOND: SECOND_TOKEN }),
  );
  await waitFor(() => fake.socket.isJoined(second.id, `chat_room:${fake.room.id}`) && fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "rooms joined", 10_000);
});

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  hub?.child.kill("SIGKILL");
  await hub?.exited;
  await fake?.close();
});

describe("GET /metrics (the built hub, two agents)", () => {
  it("needs the same credentials as /mcp, and has every listed series for every agent from the start", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("not-the-token")).status).toBe(401);
    const scraped = await scrape(GLOBAL);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, kind, sample] of SERIES) {
      expect(scraped.families.get(name)?.type, name).toBe(kind);
      for (const agent of AGENTS) expect(samples(scraped, sample, { agent }).length, `${sample}{agent="${agent}"}`).toBeGreaterThan(0);
    }
    for (const agent of AGENTS) {
      expect(value(scraped, "band_mcp_connection_up", { agent })).toBe(1);
      expect(value(scraped, "band_mcp_delivery_seconds_count", { agent })).toBe(0);
      for (const outcome of ["ok", "error"]) expect(value(scraped, "band_mcp_tool_calls_total", { agent, tool: "band_wait_for_message", outcome })).toBe(0);
      expect(value(scraped, "band_mcp_tool_seconds_count", { agent, tool: "band_send_message" })).toBe(0);
    }
  });

  it("moves with a delivery and with tool calls, for that agent only", async () => {
    const { client } = await connectHttp(`${hub.base}/mcp`, GLOBAL);
    clients.push(client);
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "measure me", mentions: [fake.agent.id] });
    const got = await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    expect((got.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([sent.id]);
    let scraped = await scrape(GLOBAL);
    expect(value(scraped, "band_mcp_delivery_seconds_count", { agent: "default" })).toBe(1);
    expect(value(scraped, "band_mcp_inbox_in_flight", { agent: "default" })).toBe(1);
    expect(value(scraped, "band_mcp_tool_calls_total", { agent: "default", tool: "band_wait_for_message", outcome: "ok" })).toBe(1);
    expect(value(scraped, "band_mcp_tool_seconds_count", { agent: "default", tool: "band_wait_for_message" })).toBe(1);

    await client.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    // Band answers 404: an isError result from the tool (arguments the SDK refuses never reach a tool).
    const refused = await client.callTool({ name: "band_get_context", arguments: { chat_id: randomUUID() } });
    expect(refused.isError).toBe(true);
    scraped = await scrape(GLOBAL);
    expect(value(scraped, "band_mcp_inbox_in_flight", { agent: "default" })).toBe(0);
    expect(value(scraped, "band_mcp_messages_delivered_total", { agent: "default" })).toBeGreaterThanOrEqual(1);
    expect(value(scraped, "band_mcp_tool_calls_total", { agent: "default", tool: "band_get_context", outcome: "error" })).toBe(1);
    expect(value(scraped, "band_mcp_delivery_seconds_count", { agent: "second" })).toBe(0);
    expect(value(scraped, "band_mcp_tool_calls_total", { agent: "second", tool: "band_wait_for_message", outcome: "ok" })).toBe(0);
  });

  it("shows a per-agent token only its agent's series", async () => {
    const scraped = await scrape(SECOND_TOKEN);
    expect(scraped.status).toBe(200);
    for (const [, , sample] of SERIES) {
      const agents = new Set(samples(scraped, sample, {}).map((s) => s.labels?.agent));
      expect([...agents], sample).toEqual(["second"]);
    }
  });
});
