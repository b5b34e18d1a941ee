import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type Actor, type FakeBand } from "../fake-band/index.js";
import { addAgentInRoom, fakeBandEnv } from "../helpers/fake-env.js";
import { waitFor } from "../helpers/harness.js";
import { connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * OpenTelemetry metrics end to end: the built hub (two agents) with OTEL_EXPORTER_OTLP_METRICS_ENDPOINT pointing
 * at a small OTLP/HTTP receiver (the collector's JSON encoding, the exporter's default), exporting every 200 ms.
 * Checked as a collector receives them: the MCP conventions' operation duration, and each agent's inbox figures.
 */
type Value = { stringValue?: string; intValue?: string | number; doubleValue?: number };
type Attribute = { key: string; value: Value };
interface Point {
  attributes: Attribute[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
}
interface OtlpMetric {
  name: string;
  unit?: string;
  gauge?: { dataPoints: Point[] };
  sum?: { dataPoints: Point[]; isMonotonic?: boolean };
  histogram?: { dataPoints: Point[] };
}

/** The last export of each metric (cumulative temporality: each export holds the totals so far). */
const latest = new Map<string, OtlpMetric>();
const paths: string[] = [];
let receiver: Server;
let fake: FakeBand;
let second: Actor;
let hub: RunningServer;

const attrs = (point: Point) => Object.fromEntries(point.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue]));
const points = (name: string): Point[] => {
  const metric = latest.get(name);
  return metric?.gauge?.dataPoints ?? metric?.sum?.dataPoints ?? metric?.histogram?.dataPoints ?? [];
};
/** The point of `name` whose attributes include `wanted`: its value (a histogram's count). */
const valueOf = (name: string, wanted: Record<string, string>): number | undefined => {
  const point = points(name).find((p) => Object.entries(wanted).every(([k, v]) => attrs(p)[k] === v));
  if (!point) return undefined;
  return Number(point.count ?? point.asInt ?? point.asDouble);
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      paths.push(req.url ?? "");
      if (req.url === "/v1/metrics" && req.headers["content-type"]?.includes("json")) {
        const payload = JSON.parse(body) as { resourceMetrics: { scopeMetrics: { metrics: OtlpMetric[] }[] }[] };
        for (const resource of payload.resourceMetrics) for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) latest.set(metric.name, metric);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  fake = await startFakeBand();
  second = addAgentInRoom(fake, "Second", "alice/second");
  hub = await spawnHttpServer(
    fakeBandEnv(fake, {
      BAND_API_KEY: fake.agent.key,
      BAND_API_KEY_SECOND: second.key,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/v1/metrics`,
      OTEL_METRIC_EXPORT_INTERVAL: "200",
    }),
  );
  await waitFor(() => fake.socket.isJoined(second.id, `chat_room:${fake.room.id}`) && fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "rooms joined", 10_000);
});

afterAll(async () => {
  if (hub?.child.exitCode === null) hub.child.kill("SIGKILL");
  await fake?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe("OpenTelemetry metrics (the metrics' own OTLP endpoint set)", () => {
  it("export each agent's inbox figures from the start, and no traces", async () => {
    await waitFor(() => valueOf("band_mcp.connection.up", { "band.agent": "second" }) === 1 && valueOf("band_mcp.connection.up", { "band.agent": "default" }) === 1, "both agents reported up", 10_000);
    for (const name of ["band_mcp.inbox.pending", "band_mcp.inbox.in_flight"]) expect(latest.get(name)?.gauge, name).toBeDefined();
    for (const name of ["band_mcp.messages.delivered", "band_mcp.messages.dropped", "band_mcp.socket.reconnects"]) expect(latest.get(name)?.sum?.isMonotonic, name).toBe(true);
    expect(valueOf("band_mcp.inbox.pending", { "band.agent": "default" })).toBe(0);
    expect(paths.filter((p) => p !== "/v1/metrics")).toEqual([]);
  });

  it("time every MCP request as mcp.server.operation.duration, a tool's error as error.type tool_error, and each hand-out's delivery", async () => {
    const { client } = await connectHttp(`${hub.base}/mcp`);
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "measure me", mentions: [fake.agent.id] });
    const got = await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 5 } });
    expect((got.structuredContent as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([sent.id]);
    await client.callTool({ name: "band_mark_processed", arguments: { chat_id: fake.room.id, message_id: sent.id } });
    const refused = await client.callTool({ name: "band_get_context", arguments: { chat_id: randomUUID() } });
    expect(refused.isError).toBe(true);
    await client.close();

    const wait = { "mcp.method.name": "tools/call", "gen_ai.tool.name": "band_wait_for_message", "band.agent": "default", "network.transport": "tcp" };
    await waitFor(() => valueOf("mcp.server.operation.duration", { "gen_ai.tool.name": "band_get_context" }) === 1, "the tool calls exported", 10_000);
    expect(valueOf("mcp.server.operation.duration", wait)).toBe(1);
    expect(attrs(points("mcp.server.operation.duration").find((p) => attrs(p)["gen_ai.tool.name"] === "band_wait_for_message")!)["error.type"]).toBeUndefined();
    expect(valueOf("mcp.server.operation.duration", { "gen_ai.tool.name": "band_get_context", "error.type": "tool_error" })).toBe(1);
    expect(valueOf("mcp.server.operation.duration", { "mcp.method.name": "initialize" })).toBeGreaterThanOrEqual(1);
    expect(latest.get("mcp.server.operation.duration")?.unit).toBe("s");
    // No ids or URIs on a metric: they would make a series per request.
    for (const point of points("mcp.server.operation.duration")) expect(Object.keys(attrs(point)).filter((k) => /id$|uri$/.test(k))).toEqual([]);

    await waitFor(() => valueOf("band_mcp.messages.delivered", { "band.agent": "default" }) === 1, "the delivery counted", 10_000);
    expect(valueOf("band_mcp.delivery.duration", { "band.agent": "default" })).toBe(1);
    expect(valueOf("band_mcp.delivery.duration", { "band.agent": "second" }) ?? 0).toBe(0);
    expect(valueOf("band_mcp.messages.delivered", { "band.agent": "second" })).toBe(0);
    expect(valueOf("band_mcp.inbox.in_flight", { "band.agent": "default" })).toBe(0);
  });
});
