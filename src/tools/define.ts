import type { z } from "zod";
import { NoInboxError } from "../agent/errors.js";
import type { BandClient } from "../band/http.js";
import type { OperationId } from "../band/generated/operations.js";
import type { Participants } from "../band/participants.js";
import type { Toolset } from "../config.js";
import type { Logger } from "../log.js";
import type { LiveInbox, StatusReport } from "../inbox/live.js";

/** A failure a handler detected itself (an unknown handle, a bad combination of arguments): shown to the model as is. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Everything a handler may use. Handlers never touch the SDK, process.env or stdout. */
export interface ToolContext {
  /** The REST client for this tool's key: the user key for the `human` toolset, the agent key otherwise. */
  band: BandClient;
  /** Room participants, cached, for mention resolution and rendering `@[[uuid]]` tokens. */
  participants: Participants;
  /** The live inbox; undefined when BAND_LIVE=false. */
  live: LiveInbox | undefined;
  /** What band_status and band://status report (also when the inbox is disabled). */
  status(): Promise<StatusReport>;
  signal: AbortSignal;
  /** Reports progress when the request carried a progress token; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  log: Logger;
}

export type Shape = z.ZodRawShape;

export interface ToolDefinition<In extends Shape = Shape, Out extends Shape = Shape> {
  name: `band_${string}`;
  toolset: Toolset;
  title: string;
  /** For the model: what it does, when to use it, and which tool finds each id it takes. */
  description: string;
  input: In;
  /** Present when the result is data: the handler's return value is sent as structuredContent. */
  output?: Out;
  annotations: ToolAnnotations;
  /** The Band operations this tool calls (each of the spec's 64 belongs to exactly one tool). */
  operations: readonly OperationId[];
  /** True for inbox tools that need the live socket (hidden when BAND_LIVE=false). */
  needsLive?: boolean;
  /** For 404s: which tool lists valid values of each id argument, e.g. `{chat_id: "band_list_chats"}`. */
  idSources?: Partial<Record<keyof In & string, `band_${string}`>>;
  handler(params: z.infer<z.ZodObject<In>>, ctx: ToolContext): Promise<z.infer<z.ZodObject<Out>> | string>;
}

/** Identity function that fixes the generic types, so each tool file is one declarative object. */
export function defineTool<In extends Shape, Out extends Shape>(definition: ToolDefinition<In, Out>): ToolDefinition<In, Out> {
  return definition;
}

/** What a live tool's handler gets: the context, with an inbox that cannot be missing. */
export interface LiveToolContext extends ToolContext {
  live: LiveInbox;
}

/**
 * A tool that needs the live inbox: hidden when BAND_LIVE=false, and should it run anyway its caller gets an
 * actionable error, so the handler itself never checks for a missing inbox.
 */
export function defineLiveTool<In extends Shape, Out extends Shape>(
  definition: Omit<ToolDefinition<In, Out>, "handler" | "needsLive"> & {
    handler(params: z.infer<z.ZodObject<In>>, ctx: LiveToolContext): Promise<z.infer<z.ZodObject<Out>> | string>;
  },
): ToolDefinition<In, Out> {
  const { handler, ...rest } = definition;
  return {
    ...rest,
    needsLive: true,
    handler(params, ctx) {
      if (!ctx.live) throw new NoInboxError();
      return handler(params, { ...ctx, live: ctx.live });
    },
  };
}
