import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId, compact } from "../common.js";

export default defineTool({
  name: "band_send_event",
  toolset: "messages",
  title: "Post a Band event",
  description:
    "Posts a structured event in a Band chat so people can follow your work: a tool_call or tool_result, a thought, an error, a task update, or an attention request for a human (a question, assumption, failure or review). Events notify nobody and need no mentions; use band_send_message to talk to participants. Conventional metadata: tool_call {function: {name, arguments}, id, type: \"function\"}; tool_result {success, message}; error {error_code, details}; attention {kind: question|assumption|failure|review, blocking?}. Find chat ids with band_list_chats.",
  input: {
    chat_id: chatId,
    message_type: z.enum(["tool_call", "tool_result", "thought", "error", "task", "attention"]).describe("What kind of event this is."),
    content: z.string().trim().min(1).max(16_384).describe("Human-readable text of the event."),
    metadata: z.record(z.string(), z.unknown()).optional().describe("Structured data for the event (at most 64 KB as JSON)."),
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
