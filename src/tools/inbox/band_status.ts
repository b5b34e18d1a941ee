import { z } from "zod";
import { defineTool } from "../define.js";
import { describeStatus } from "./status-words.js";

export default defineTool({
  name: "band_status",
  toolset: "inbox",
  title: "Band connection status",
  description:
    "Whether this server is live on Band: who you are, the connection (connected, connecting, disconnected, conflict = another process holds this agent and this one stands by to take over, unauthorized = bad key, disabled), chats joined, inbox counts. Call it when messages seem not to arrive; `detail` says what to fix.",
  input: {},
  output: {
    ok: z.boolean(),
    agent: z.object({ id: z.string(), name: z.string(), handle: z.string() }).nullable(),
    connection: z.enum(["connected", "connecting", "disconnected", "conflict", "unauthorized", "disabled"]),
    chats_joined: z.number().int(),
    inbox: z.object({ pending: z.number().int(), in_flight: z.number().int(), delivered_total: z.number().int(), dropped: z.number().int() }),
    reconnects: z.number().int(),
    last_event_at: z.string().nullable(),
    version: z.string(),
    standby: z.object({ attempts: z.number().int(), next_attempt_at: z.string() }).optional(),
    loop_guard: z.array(z.object({ chat_id: z.string(), agent_messages_in_a_row: z.number().int(), held: z.number().int() })).optional(),
    detail: z.string().optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  operations: [],
  async handler(_params, ctx) {
    return describeStatus(await ctx.status());
  },
});
