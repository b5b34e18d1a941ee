import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS, type OperationId } from "../../src/band/generated/operations.js";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { connectInMemory, type Connected } from "../helpers/harness.js";

/**
 * Issue 9: every tool's input schema, as clients see it in tools/list, driven with missing, wrong-typed, huge,
 * traversal and prototype-key arguments. Each call must end (no hang) as a tool result, never a JSON-RPC error,
 * and every request it makes must be one of its own Band operations: an id like ".." must not turn
 * GET …/tasks/{id} into GET …/tasks.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
}

const HUGE = "x".repeat(100_000);
const TRAVERSALS = ["..", ".", "../..", "%2e%2e", "a/../../b", "..\\..", "\u0000", ""];
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString"];
/** Wrong types for a property, whatever its type (a number is wrong for strings; see below for numbers). */
const WRONG = [null, true, 42, "text", [1, "two"], { nested: { deep: true } }];

/** Lookups tools make besides their own operation (participants for mentions, the claim before a mark). */
const HELPERS: readonly OperationId[] = ["listAgentChatParticipants", "listAgentPeers", "markAgentMessageProcessing", "getAgentMe"];

let fake: FakeBand;
let conn: Connected;

beforeAll(async () => {
  fake = await startFakeBand();
  conn = await connectInMemory(fake, { BAND_USER_KEY: fake.user.key });
});

afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null");
  return schema.type ?? schema.anyOf?.map(typeOf).find((t) => t !== undefined);
}

/** A plausible value, so that a case changes one argument at a time. */
function baseline(name: string, schema: JsonSchema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case "string":
      return name.endsWith("_id") ? fake.room.id : name === "participant" || name === "handle" ? "alice/reviewer" : "hello";
    case "integer":
    case "number":
      // Waits take their shortest timeout: a fuzz case must not block.
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    case "array":
      return [baseline(name, schema.items ?? {})];
    case "object":
      return {};
    default:
      return "hello";
  }
}

function baselineArgs(schema: JsonSchema): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (schema.required?.includes(name) || name === "timeout_seconds") args[name] = baseline(name, property);
  }
  return args;
}

/** Every case for one tool: its arguments, and a label for the failure message. */
function cases(schema: JsonSchema): [string, unknown][] {
  const base = baselineArgs(schema);
  const out: [string, unknown][] = [
    ["no arguments", "timeout_seconds" in base ? { timeout_seconds: base.timeout_seconds } : {}],
    ["baseline", base],
    ["prototype keys", JSON.parse(`{${[...Object.entries(base).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`), '"__proto__":{"polluted":true}', '"constructor":{"prototype":{"polluted":true}}'].join(",")}}`)],
  ];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    // A valid timeout is a real wait, not a hostile input.
    const wrong = name === "timeout_seconds" ? WRONG.filter((v) => typeof v !== "number") : WRONG;
    const values: unknown[] = [...wrong, HUGE, Array.from({ length: 2_000 }, () => "y"), ...PROTOTYPE_KEYS];
    if (typeOf(property) === "string") values.push(...TRAVERSALS);
    if (typeOf(property) === "array") values.push(TRAVERSALS, [HUGE]);
    if (typeOf(property) === "number" || typeOf(property) === "integer") values.push(1e308, -1e308, 0);
    for (const value of values) out.push([`${name} = ${JSON.stringify(value).slice(0, 40)}`, { ...base, [name]: value }]);
  }
  return out;
}

/** The (method, path) shape of an operation, with each parameter one real segment. */
const SHAPES = Object.entries(OPERATIONS).map(([id, { method, path }]) => ({
  id: id as OperationId,
  method,
  pattern: new RegExp(`^${path.replace(/\{\w+\}/g, "(?!\\.\\.?/|\\.\\.?$)[^/]+")}$`),
}));

const operationOf = (method: string, path: string) => SHAPES.find((s) => s.method === method && s.pattern.test(path))?.id;

async function fuzz(client: Client, tools: readonly string[]): Promise<{ problems: string[]; calls: number }> {
  const problems: string[] = [];
  let calls = 0;
  const { tools: listed } = await client.listTools();
  for (const tool of listed.filter((t) => tools.includes(t.name))) {
    const allowed = new Set<OperationId>([...(ALL_TOOLS.find((t) => t.name === tool.name)?.operations ?? []), ...HELPERS]);
    for (const [label, args] of cases(tool.inputSchema as JsonSchema)) {
      const before = fake.requests.length;
      calls++;
      try {
        const result = await client.callTool({ name: tool.name, arguments: args as Record<string, unknown> }, undefined, { timeout: 5_000 });
        if (!Array.isArray(result.content)) problems.push(`${tool.name} (${label}): no content in the result`);
      } catch (error) {
        problems.push(`${tool.name} (${label}): JSON-RPC error or hang: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
      }
      for (const request of fake.requests.slice(before)) {
        const operation = operationOf(request.method, request.path);
        if (!operation || !allowed.has(operation)) problems.push(`${tool.name} (${label}): ${request.method} ${request.path} is ${operation ?? "no operation"}, not its own`);
      }
    }
  }
  return { problems, calls };
}

describe("fuzzing every tool's input schema", () => {
  it("ends every call as a tool result, sends nothing outside the tool's own operations, pollutes nothing", async () => {
    const names = ALL_TOOLS.filter((t) => !t.needsLive).map((t) => t.name);
    const started = Date.now();
    const { problems, calls } = await fuzz(conn.client, names);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const status = await conn.client.callTool({ name: "band_status", arguments: {} });
    expect(status.isError).toBeFalsy();
    process.stdout.write(`fuzz: ${calls} calls over ${names.length} tools in ${Date.now() - started} ms\n`);
  }, 60_000);

  it("does the same for the live inbox tools", async () => {
    const live = await connectInMemory(fake, { BAND_LIVE: "true" });
    try {
      const names = ALL_TOOLS.filter((t) => t.needsLive).map((t) => t.name);
      const { problems } = await fuzz(live.client, names);
      // Live traffic (backlog drains, claims) runs beside the calls: only what no operation explains is a problem.
      expect(problems.filter((p) => p.includes("no operation") || !p.includes(" is ")).slice(0, 20)).toEqual([]);
    } finally {
      await live.close();
    }
  }, 60_000);
});
