import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { bundleFiles } from "../helpers/bundle.js";
import { waitFor } from "../helpers/harness.js";
import { connectHttp, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * OpenTelemetry end to end: the built server with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a small OTLP/HTTP
 * receiver (the collector's JSON encoding, which the exporter sends by default), a tools/call carrying a W3C
 * traceparent in params._meta, and the spans checked as a collector would receive them.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  status?: { code?: number };
}
const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

const spans: OtlpSpan[] = [];
let receiver: Server;
let fake: FakeBand;
let hub: RunningServer;
let client: Client;
let sessionId: string | undefined;
const traceId = randomBytes(16).toString("hex");
const callerSpanId = randomBytes(8).toString("hex");

const attributes = (span: OtlpSpan) => Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]));
const named = (name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name), `one span named ${name}`).toEqual([name]);
  return found[0]!;
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.url === "/v1/traces" && req.headers["content-type"]?.includes("json")) {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  fake = await startFakeBand();
  hub = await spawnHttpServer({
    PATH: process.env.PATH ?? "",
    BAND_API_KEY: fake.agent.key,
    BAND_BASE_URL: fake.url,
    BAND_WS_URL: fake.wsUrl,
    BAND_LIVE: "false",
    BAND_LOG_LEVEL: "warn",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as { port: number }).port}`,
  });
  const connected = await connectHttp(hub.url);
  client = connected.client;
  sessionId = connected.transport.sessionId;
  const _meta = { traceparent: `00-${traceId}-${callerSpanId}-01` };
  await client.callTool({ name: "band_get_me", arguments: {}, _meta });
  const missing = await client.callTool({ name: "band_get_chat", arguments: { chat_id: "no-such-chat" }, _meta });
  expect(missing.isError).toBe(true);
  await client.close();
  // A clean exit flushes what the batch processor holds.
  hub.child.kill("SIGTERM");
  await hub.exited;
  await waitFor(() => spans.some((s) => s.name === "tools/call band_get_chat"), "the spans exported", 10_000);
});

afterAll(async () => {
  if (hub?.child.exitCode === null) hub.child.kill("SIGKILL");
  await fake?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe("OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT set)", () => {
  it("spans a tools/call as the MCP conventions say, inside the caller's trace from params._meta.traceparent", () => {
    const call = named("tools/call band_get_me");
    expect(call.kind).toBe(SERVER);
    expect([call.traceId, call.parentSpanId]).toEqual([traceId, callerSpanId]);
    expect(attributes(call)).toMatchObject({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "band_get_me",
      "gen_ai.operation.name": "execute_tool",
      "network.transport": "tcp",
      "mcp.session.id": sessionId,
    });
    expect(attributes(call)["jsonrpc.request.id"]).toMatch(/^\d+$/);
    expect(attributes(call)["error.type"]).toBeUndefined();
    expect(call.status?.code ?? 0).not.toBe(STATUS_ERROR);
  });

  it("makes each Band REST call a child span of the request it serves", () => {
    const call = named("tools/call band_get_me");
    const rest = spans.filter((s) => s.parentSpanId === call.spanId);
    expect(rest.map((s) => s.name)).toEqual(["GET /api/v1/agent/me"]);
    expect(rest[0]!.kind).toBe(CLIENT);
    expect(rest[0]!.traceId).toBe(traceId);
    expect(attributes(rest[0]!)).toMatchObject({ "http.request.method": "GET", "url.template": "/api/v1/agent/me" });
  });

  it("marks a tool result with isError as error.type tool_error, its refused Band call with the status", () => {
    const call = named("tools/call band_get_chat");
    expect(attributes(call)["error.type"]).toBe("tool_error");
    expect(call.status?.code).toBe(STATUS_ERROR);
    const rest = spans.filter((s) => s.parentSpanId === call.spanId);
    expect(rest.map((s) => [s.name, attributes(s)["error.type"]])).toEqual([["GET /api/v1/agent/chats/{id}", "404"]]);
  });

  it("spans the other requests too (initialize, tools/list when asked) under their method name", () => {
    expect(attributes(named("initialize"))["mcp.method.name"]).toBe("initialize");
  });
});

describe("without an OTLP endpoint", () => {
  it("the bundle loads no OpenTelemetry code at start: the SDK is only imported dynamically", () => {
    const bundle = bundleFiles().map((file) => readFileSync(file, "utf8")).join("\n");
    expect(bundle).not.toMatch(/^import[^;]*from\s*["']@opentelemetry\//m);
    expect(bundle).toMatch(/import\(["']@opentelemetry\/sdk-trace["']\)/);
  });
});
