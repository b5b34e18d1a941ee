import { z } from "zod";
import { defineTool } from "../define.js";
import { EVENT_METADATA_BYTES, chatId, compact } from "../common.js";

export default defineTool({
  name: "band_send_event",
  toolset: "messages",
  title: "Post a Band event",
  description:
    "Posts an event so people can follow your work (attention asks a human: question, assumption, failure, review). Notifies nobody; no mentions. Metadata by convention: tool_call {function: {name, arguments}, id}; tool_result {success, message}; error {error_code, details}; attention {kind, blocking?}.",
  input: {
    chat_id: chatId,
    message_type: z.enum(["tool_call", "tool_result", "thought", "error", "task", "attention"]).describe("The kind of event."),
    content: z.string().trim().min(1).max(16_384).describe("Readable text."),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= EVENT_METADATA_BYTES, `must be at most ${EVENT_METADATA_BYTES} bytes as JSON (Band's limit): shorten it, or put the bulk in content`)
      .optional()
      .describe("Structured data for the event (at most 64 KB as JSON)."),
  },
  output: { id: z.string(), message_type: z.string(), success: z.boolean().optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createAgentChatEvent"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, message_type, content, metadata }, ctx) {
    const { data } = await ctx.band.call("createAgentChatEvent", {
      path: { chat_id },
      body: { event: compact({ content, message_type, metadata }) },
      signal: ctx.signal,
    });
    return data;
  },
});
