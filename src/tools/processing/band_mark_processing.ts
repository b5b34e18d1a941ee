import { AgentService } from "../../agent/service.js";
import { defineTool } from "../define.js";
import { chatId, messageId } from "../common.js";
import { messageStatusOutput } from "../shapes.js";

export default defineTool({
  name: "band_mark_processing",
  toolset: "processing",
  title: "Claim a Band message for processing",
  description:
    "Marks a message as being processed by this agent, opening a new processing attempt (attempt_number counts them). Band then requires band_mark_processed or band_mark_failed to close it; until then the message stays in band_get_next_message, so a crash never loses it. Calling it again on the same message starts another attempt. Messages from band_wait_for_message are already claimed: do not call this for them. Find chat ids with band_list_chats and message ids with band_get_next_message or band_list_messages.",
  input: { chat_id: chatId, message_id: messageId },
  output: messageStatusOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["markAgentMessageProcessing"],
  idSources: { chat_id: "band_list_chats", message_id: "band_list_messages" },
  async handler({ chat_id, message_id }, ctx) {
    return new AgentService(ctx).markProcessing(chat_id, message_id, ctx.signal);
  },
});
