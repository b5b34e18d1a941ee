/**
 * Bad input at every tool: wrong types, huge strings, missing fields and unknown ids each come back as an
 * isError result (never a crash, never a hang), and the server stays healthy afterwards.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { call, connectInMemory, waitFor, type Connected } from "../helpers/harness.js";

type Json = Record<string, any>;

/** Longer than any maxLength a tool declares, and far longer than any id. */
const HUGE = "x".repeat(300_000);

let fake: FakeBand;
let c: Connected;
let schemas: Map<string, Json>;

beforeAll(async () => {
  fake = await startFakeBand();
  c = await connectInMemory(fake, { BAND_LIVE: "true", BAND_TOOLSETS: "all", BAND_USER_KEY: fake.user.key });
  await waitFor(async () => (await c.app.status()).connection === "connected", "connected");
  schemas = new Map((await c.client.listTools()).tools.map((t) => [t.name, t.inputSchema as Json]));
});

afterAll(async () => {
  await c.close();
  await fake.close();
});

/** The JSON type a property takes (nullable unions read as their non-null branch). */
function typeOf(schema: Json): string | undefined {
  if (Array.isArray(schema.enum)) return typeof schema.enum[0];
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== "null");
  const branch = (schema.anyOf ?? schema.oneOf)?.find((s: Json) => s.type !== "null");
  return branch ? typeOf(branch) : undefined;
}

const isId = (name: string) => name === "id" || name.endsWith("_id") || name.endsWith("_ids");

/** A well-typed value: ids are fresh UUIDs Band has never seen, timeouts are zero (nothing may block). */
function plausible(name: string, schema: Json): unknown {
  const branch = schema.anyOf?.find((s: Json) => s.type !== "null") ?? schema;
  if (Array.isArray(branch.enum)) return branch.enum[0];
  if (branch.const !== undefined) return branch.const;
  switch (typeOf(branch)) {
    case "string":
      return isId(name) ? randomUUID() : "x".repeat(Math.max(1, branch.minLength ?? 1));
    case "number":
    case "integer":
      return name.startsWith("timeout") ? (branch.minimum ?? 0) : (branch.minimum ?? 1);
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: branch.minItems ?? 0 }, () => plausible(name.replace(/s$/, ""), branch.items ?? {}));
    case "object":
      return Object.fromEntries((branch.required ?? []).map((key: string) => [key, plausible(key, branch.properties?.[key] ?? {})]));
    default:
      return "x";
  }
}

const WRONG: Record<string, unknown> = { string: 12345, number: "twelve", integer: 1.5, boolean: "yes", array: "not a list", object: "not an object" };

function wellTyped(schema: Json): Json {
  return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([k, s]) => [k, plausible(k, s)]));
}

/** Every bad call worth making at this tool, each with a label for the failure message. */
function badCalls(schema: Json): [string, Json][] {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Json>);
  const base = wellTyped(schema);
  const calls: [string, Json][] = [];
  if ((schema.required ?? []).length > 0) calls.push(["no arguments", {}]);
  for (const [name, property] of properties) {
    const type = typeOf(property);
    if (type && type in WRONG) calls.push([`${name} of the wrong type`, { ...base, [name]: WRONG[type] }]);
    if (type === "string") calls.push([`${name} huge`, { ...base, [name]: HUGE }]);
    if (type === "array") calls.push([`${name} with a huge item`, { ...base, [name]: [HUGE] }]);
  }
  // Ids Band does not know, where the tool needs one: it must say so (404 → an error naming where valid ids
  // come from). Optional ids only filter (an unknown chat_id to band_get_inbox is an empty inbox) or are
  // references Band stores as given (a task_id on band_create_chat), so they are not errors.
  const required = new Set<string>(schema.required ?? []);
  if (properties.some(([name, property]) => required.has(name) && isId(name) && typeOf(property) === "string")) calls.push(["unknown ids", base]);
  return calls;
}

describe("bad input at every tool", () => {
  it("the server exposes every tool of the registry (BAND_TOOLSETS=all, live, user key)", () => {
    expect([...schemas.keys()].sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });

  for (const tool of ALL_TOOLS) {
    it(`${tool.name}: every bad call is an isError result that does not echo the input`, async () => {
      const schema = schemas.get(tool.name)!;
      const calls = badCalls(schema);
      if (calls.length === 0) {
        // Takes nothing: unexpected arguments (even huge ones) must not break it.
        expect(Object.keys(schema.properties ?? {}), `${tool.name} has parameters but no bad call was derived for them`).toEqual([]);
        const result = await call(c.client, tool.name, { unexpected: HUGE });
        expect(result.text.length).toBeLessThan(100_000);
        return;
      }
      for (const [label, args] of calls) {
        const result = await call(c.client, tool.name, args);
        expect(result.isError, `${tool.name} with ${label}: ${result.text.slice(0, 300)}`).toBe(true);
        expect(result.text.length, `${tool.name} with ${label}: the error is short`).toBeLessThan(2_000);
      }
    });
  }

  it("stays healthy afterwards: status, profile and a live delivery", async () => {
    const status = await call(c.client, "band_status");
    expect(status.structured).toMatchObject({ ok: true, connection: "connected" });
    const me = await call(c.client, "band_get_me");
    expect(me.structured).toMatchObject({ id: fake.agent.id });
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "still there?", mentions: [fake.agent.id] });
    const waited = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(waited.structured!.messages.map((m: { id: string }) => m.id)).toEqual([sent.id]);
  });
});
