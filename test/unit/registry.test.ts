import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/band/generated/operations.js";
import { DEFAULT_TOOLSETS, TOOLSETS } from "../../src/config.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerTools } from "../../src/mcp/register.js";
import { ALL_TOOLS, selectTools } from "../../src/tools/index.js";
import type { ToolDeps } from "../../src/tools/run.js";
import { withToolTable } from "../../scripts/readme-tools.js";
import { TOOL_BUDGET_PER_TOOL, toolListCost } from "../../scripts/tool-budget.js";

const root = join(import.meta.dirname, "../..");
const toolsDir = join(root, "src/tools");

describe("tool registry contract", () => {
  it("has unique band_ names, each in a file of the same name in its toolset's folder", async () => {
    const names = ALL_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const files = TOOLSETS.flatMap((toolset) =>
      readdirSync(join(toolsDir, toolset))
        .filter((f) => f.startsWith("band_") && f.endsWith(".ts"))
        .map((f) => ({ toolset, name: basename(f, ".ts"), path: join(toolsDir, toolset, f) })),
    );
    expect(files.map((f) => f.name).sort()).toEqual([...names].sort());
    for (const file of files) {
      const tool = ((await import(file.path)) as { default: (typeof ALL_TOOLS)[number] }).default;
      expect(tool.name, file.path).toBe(file.name);
      expect(tool.toolset, file.path).toBe(file.toolset);
    }
  });

  it("gives every tool a title, a bounded description and all four annotations", () => {
    for (const tool of ALL_TOOLS) {
      expect(tool.name).toMatch(/^band_[a-z0-9_]+$/);
      expect(tool.title.length, tool.name).toBeGreaterThan(3);
      expect(tool.description.length, tool.name).toBeGreaterThan(40);
      expect(tool.description.length, tool.name).toBeLessThan(1500);
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof tool.annotations[hint], `${tool.name}.${hint}`).toBe("boolean");
      }
      if (tool.annotations.readOnlyHint) expect(tool.annotations.destructiveHint, tool.name).toBe(false);
    }
  });

  it("has object input schemas without root unions, and object output schemas", () => {
    for (const tool of ALL_TOOLS) {
      const input = z.toJSONSchema(z.object(tool.input), { io: "input" }) as Record<string, unknown>;
      expect(input.type, tool.name).toBe("object");
      expect(input.anyOf ?? input.oneOf ?? input.allOf, tool.name).toBeUndefined();
      if (tool.output) expect((z.toJSONSchema(z.object(tool.output), { io: "output" }) as Record<string, unknown>).type).toBe("object");
    }
  });

  it("reaches every one of Band's operations through exactly one tool", () => {
    const owners = new Map<string, string[]>();
    for (const tool of ALL_TOOLS) for (const op of tool.operations) owners.set(op, [...(owners.get(op) ?? []), tool.name]);
    const missing = Object.keys(OPERATIONS).filter((op) => !owners.has(op));
    const shared = [...owners].filter(([, tools]) => tools.length > 1);
    expect(missing).toEqual([]);
    expect(shared).toEqual([]);
    expect(Object.keys(OPERATIONS)).toHaveLength(64);
  });

  it("keeps the default surface at 25 tools or fewer, and read-only mode to readOnlyHint tools", () => {
    const surface = { toolsets: DEFAULT_TOOLSETS, readOnly: false, live: true, hasAgentKey: true, hasUserKey: false };
    const defaults = selectTools(surface);
    expect(defaults.length).toBeLessThanOrEqual(25);
    expect(defaults.map((t) => t.name)).toEqual(expect.arrayContaining(["band_wait_for_message", "band_send_message", "band_status"]));
    const readOnly = selectTools({ ...surface, toolsets: TOOLSETS, readOnly: true, hasUserKey: true });
    expect(readOnly.length).toBeGreaterThan(0);
    expect(readOnly.every((t) => t.annotations.readOnlyHint)).toBe(true);
    expect(selectTools({ ...surface, toolsets: TOOLSETS, hasAgentKey: false, hasUserKey: true }).every((t) => t.toolset === "human")).toBe(true);
  });

  it("keeps what the model reads of the default tool list within its budget per tool", async () => {
    const cost = await toolListCost(DEFAULT_TOOLSETS);
    expect(cost.tools).toBe(selectTools({ toolsets: DEFAULT_TOOLSETS, readOnly: false, live: true, hasAgentKey: true, hasUserKey: false }).length);
    // Measured on the wire: the per-tool figure must include the SDK's JSON Schema, not just our descriptions.
    expect(cost.byTool.every((t) => t.chars > 150)).toBe(true);
    expect(cost.perTool, JSON.stringify(cost.byTool.slice(0, 5))).toBeLessThanOrEqual(TOOL_BUDGET_PER_TOOL);
  });

  it("matches the generated tool table in docs/tools.md", () => {
    const readme = readFileSync(join(root, "docs", "tools.md"), "utf8");
    expect(withToolTable(readme)).toBe(readme);
  });

  it("gives every session the same schema objects, built once per process (HTTP mode opens a session per client)", () => {
    type Config = { inputSchema: unknown; outputSchema?: unknown };
    const registrations = () => {
      const seen = new Map<string, Config>();
      const server = { registerTool: (name: string, config: Config) => void seen.set(name, config) } as unknown as McpServer;
      registerTools(server, ALL_TOOLS, {} as ToolDeps);
      return seen;
    };
    const [first, second] = [registrations(), registrations()];
    for (const tool of ALL_TOOLS) {
      const [a, b] = [first.get(tool.name)!, second.get(tool.name)!];
      expect(a.inputSchema, tool.name).toBeInstanceOf(z.ZodObject);
      expect(b.inputSchema, tool.name).toBe(a.inputSchema);
      expect(b.outputSchema, tool.name).toBe(a.outputSchema);
    }
  });
});
