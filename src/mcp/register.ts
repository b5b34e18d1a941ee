import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolDefinition } from "../tools/define.js";
import { runTool, type ToolDeps } from "../tools/run.js";

/** Told of every tool call as it ends: `error` for an `isError` result; `seconds` from the call to its result. */
export type ToolCallObserver = (tool: string, outcome: "ok" | "error", seconds: number) => void;

/**
 * The one wrapper every tool goes through: context, structured results, error mapping and logging (tools/run.ts),
 * and the call's observer (HTTP mode's metrics), here and nowhere else.
 */
export function registerTools(server: McpServer, tools: readonly ToolDefinition[], deps: ToolDeps, observe?: ToolCallObserver): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        ...schemasOf(tool),
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (params: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const progressToken = extra._meta?.progressToken;
        const started = performance.now();
        const outcome = await runTool(tool, params, deps, {
          signal: extra.signal,
          progress: async (progress, total, message) => {
            if (progressToken === undefined) return;
            await extra
              .sendNotification({ method: "notifications/progress", params: { progressToken, progress, total, message } })
              .catch(() => undefined);
          },
        });
        observe?.(tool.name, outcome.ok ? "ok" : "error", (performance.now() - started) / 1000);
        if (!outcome.ok) return { content: [{ type: "text", text: outcome.text }], isError: true };
        if (typeof outcome.value === "string") return { content: [{ type: "text", text: outcome.text }] };
        return { content: [{ type: "text", text: outcome.text }], structuredContent: outcome.value as Record<string, unknown> };
      },
    );
  }
}

/**
 * Each tool's schemas, built once per process and shared by every session: zod compiles a schema's parser on its
 * first use, so schemas built per session (HTTP mode opens one per client) made each session's first calls
 * compile afresh, and its later ones run code too cold to be optimized, on every tool call's input and output.
 */
const built = new WeakMap<ToolDefinition, { inputSchema: z.ZodObject; outputSchema?: z.ZodObject }>();

function schemasOf(tool: ToolDefinition): { inputSchema: z.ZodObject; outputSchema?: z.ZodObject } {
  let schemas = built.get(tool);
  if (!schemas) {
    // Loose at the top: Band adds fields over time, and hosts reject results with properties a schema forbids.
    schemas = { inputSchema: z.object(tool.input), ...(tool.output ? { outputSchema: z.looseObject(tool.output) } : {}) };
    built.set(tool, schemas);
  }
  return schemas;
}
