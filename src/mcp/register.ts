import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { BandClient } from "../band/http.js";
import type { Participants } from "../band/participants.js";
import type { LiveInbox, StatusReport } from "../inbox/live.js";
import type { Logger } from "../log.js";
import { redactJson, type Redact } from "../redact.js";
import type { ToolContext, ToolDefinition } from "../tools/define.js";
import { describeFailure } from "../tools/errors.js";

export interface ToolDeps {
  agent?: BandClient;
  user?: BandClient;
  /** Which setting holds the agent key (BAND_API_KEY or an alias), named when Band rejects it. */
  agentKeyVariable: string;
  participants: Participants;
  live: LiveInbox | undefined;
  status(): Promise<StatusReport>;
  log: Logger;
  redact: Redact;
}

/** The one wrapper every tool goes through: context, structured results, error mapping and logging. */
export function registerTools(server: McpServer, tools: readonly ToolDefinition[], deps: ToolDeps): void {
  for (const tool of tools) {
    const band = tool.toolset === "human" ? deps.user : deps.agent;
    const keyVariable = tool.toolset === "human" ? "BAND_USER_KEY" : deps.agentKeyVariable;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        // Loose at the top: Band adds fields over time, and hosts reject results with properties a schema forbids.
        ...(tool.output ? { outputSchema: z.looseObject(tool.output) } : {}),
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (params: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const started = Date.now();
        const progressToken = extra._meta?.progressToken;
        const ctx: ToolContext = {
          band: band!,
          participants: deps.participants,
          live: deps.live,
          status: deps.status,
          signal: extra.signal,
          log: deps.log,
          progress: async (progress, total, message) => {
            if (progressToken === undefined) return;
            await extra
              .sendNotification({ method: "notifications/progress", params: { progressToken, progress, total, message } })
              .catch(() => undefined);
          },
        };
        try {
          const result = await tool.handler(params as never, ctx);
          deps.log.debug(`${tool.name} ok`, { ms: Date.now() - started });
          if (typeof result === "string") return { content: [{ type: "text", text: deps.redact(result) }] };
          const clean = redactJson(result as Record<string, unknown>, deps.redact);
          return { content: [{ type: "text", text: clean.text }], structuredContent: clean.value };
        } catch (error) {
          const text = deps.redact(describeFailure(error, tool, params, { keyVariable }));
          deps.log.warn(`${tool.name} failed`, { ms: Date.now() - started, error: text });
          return { content: [{ type: "text", text }], isError: true };
        }
      },
    );
  }
}
