import type { App } from "../app.js";
import type { BandClient } from "../band/http.js";
import type { Participants } from "../band/participants.js";
import type { LiveInbox, StatusReport } from "../inbox/live.js";
import type { Logger } from "../log.js";
import { MAX_LINE_BYTES, outgoing, outgoingText } from "../bounds.js";
import type { Redact } from "../redact.js";
import type { ToolContext, ToolDefinition } from "./define.js";
import { describeFailure } from "./errors.js";

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

/** What tools see of an app; `live` is a session's view of the inbox (HTTP mode), the app's by default. */
export function toolDeps(app: App, live: LiveInbox | undefined = app.live?.inbox): ToolDeps {
  return {
    agent: app.agent,
    user: app.user,
    agentKeyVariable: app.agentKeyVariable,
    participants: app.participants,
    live,
    status: app.status,
    log: app.log,
    redact: app.redact,
  };
}

/** A tool's result with every secret masked, or the failure with the text that says what to do. */
export type ToolOutcome = { ok: true; value: unknown; text: string } | { ok: false; text: string };

/** Runs one tool for the MCP wrapper (mcp/register.ts): its context, logging, redaction and error text. */
export async function runTool(
  tool: ToolDefinition,
  params: Record<string, unknown>,
  deps: ToolDeps,
  call: { signal: AbortSignal; progress?: ToolContext["progress"] },
): Promise<ToolOutcome> {
  const started = Date.now();
  const ctx: ToolContext = {
    band: (tool.toolset === "human" ? deps.user : deps.agent)!,
    participants: deps.participants,
    live: deps.live,
    status: deps.status,
    signal: call.signal,
    log: deps.log,
    progress: call.progress ?? (async () => undefined),
  };
  try {
    const result = await tool.handler(params as never, ctx);
    deps.log.debug(`${tool.name} ok`, { ms: Date.now() - started });
    if (typeof result === "string") return { ok: true, value: result, text: outgoingText(result, deps.redact) };
    const sent = outgoing(result as Record<string, unknown>, deps.redact);
    if (sent) return { ok: true, value: sent.value, text: sent.text };
    const text = `${tool.name}'s result is too large to send (over ${MAX_LINE_BYTES / 1024 / 1024} MB even with long texts cut): ask for fewer items, e.g. a smaller limit or page_size.`;
    deps.log.warn(`${tool.name} result too large to send`, { ms: Date.now() - started });
    return { ok: false, text };
  } catch (error) {
    const keyVariable = tool.toolset === "human" ? "BAND_USER_KEY" : deps.agentKeyVariable;
    const text = deps.redact(describeFailure(error, tool, params, { keyVariable }));
    deps.log.warn(`${tool.name} failed`, { ms: Date.now() - started, error: text });
    return { ok: false, text };
  }
}
