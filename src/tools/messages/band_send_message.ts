import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId, messageId } from "../common.js";
import { AgentService } from "../../agent/service.js";
import { contentInput, mentionsInput } from "./send.js";

export default defineTool({
  name: "band_send_message",
  toolset: "messages",
  title: "Send a Band message",
  description:
    "Posts a message in a chat. Band delivers it only to `mentions` (at least one, not yourself). To answer a message, pass its id as reply_to_message_id: it is marked processed once sent (a failed mark is reported). For tool calls, thoughts or errors use band_send_event.",
  input: {
    chat_id: chatId,
    content: contentInput,
    mentions: mentionsInput.describe("Recipients: handles (@ optional), names or ids, from band_list_participants."),
    reply_to_message_id: messageId.optional().describe("The message this answers."),
  },
  output: {
    message_id: z.string(),
    recipients: z.array(z.looseObject({ id: z.string(), handle: z.string().nullable().optional(), name: z.string().nullable().optional() })),
    marked_processed: z.boolean().optional().describe("Whether reply_to_message_id was marked processed (present only with reply_to_message_id)."),
    mark_error: z.string().optional().describe("Why marking reply_to_message_id failed, and how to retry."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createAgentChatMessage"],
  // Only chat_id can 404: a failed mark of reply_to_message_id is reported in the result instead.
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, content, mentions, reply_to_message_id }, ctx) {
    const agent = new AgentService(ctx);
    const sent = await agent.send(chat_id, content, mentions, ctx.signal);
    if (reply_to_message_id === undefined) return sent;
    try {
      await agent.mark(chat_id, reply_to_message_id, { status: "processed" }, ctx.signal);
      return { ...sent, marked_processed: true };
    } catch (error) {
      // The message is out: report its id so the model never resends it, and say how to finish the mark.
      const why = error instanceof Error ? error.message : String(error);
      return {
        ...sent,
        marked_processed: false,
        mark_error: `The reply was sent, but marking message ${reply_to_message_id} processed failed (${why}). Call band_mark_processed with chat_id "${chat_id}" and message_id "${reply_to_message_id}" to retry; do not send the reply again.`,
      };
    }
  },
});
