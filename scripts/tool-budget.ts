import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Toolset } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { registerTools } from "../src/mcp/register.js";
import { selectTools } from "../src/tools/index.js";

/** The target for the default toolsets: what the model reads per tool, on average, in characters. */
export const TOOL_BUDGET_PER_TOOL = 600;

export interface ToolListCost {
  tools: number;
  chars: number;
  perTool: number;
  /** Each tool's share, largest first. */
  byTool: { name: string; chars: number }[];
}

/**
 * What a host puts in front of the model for these toolsets, measured as the task's comparison with other
 * servers does: JSON.stringify of {name, description, inputSchema} per tool, as tools/list sends them (the SDK
 * does the zod → JSON Schema conversion, so this is what the wire carries, not an estimate from our sources).
 */
export async function toolListCost(toolsets: readonly Toolset[]): Promise<ToolListCost> {
  const server = new McpServer({ name: "budget", version: "0" });
  const tools = selectTools({ toolsets, readOnly: false, live: true, hasAgentKey: true, hasUserKey: true });
  registerTools(server, tools, {
    agentKeyVariable: "BAND_API_KEY",
    participants: undefined as never,
    live: undefined,
    status: () => Promise.reject(new Error("not measured")),
    log: createLogger("error"),
    redact: (text) => text,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "budget", version: "0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const { tools: listed } = await client.listTools();
    const byTool = listed
      .map((t) => ({ name: t.name, chars: JSON.stringify({ name: t.name, description: t.description, inputSchema: t.inputSchema }).length }))
      .sort((a, b) => b.chars - a.chars);
    const chars = byTool.reduce((sum, t) => sum + t.chars, 0);
    return { tools: byTool.length, chars, perTool: byTool.length ? chars / byTool.length : 0, byTool };
  } finally {
    await client.close();
    await server.close();
  }
}
