import { defineTool } from "../define.js";
import { chatId, messageId } from "../common.js";
import { markMessage, markResult } from "./schemas.js";

export default defineTool({
  name: "band_mark_processed",
  toolset: "inbox",
  title: "Mark a Band message processed",
  description:
    "Tells Band you have finished handling a message, so it is never delivered again (not after a restart either). Call it after acting on a message from band_wait_for_message, unless you already replied with band_send_message and reply_to_message_id (that marks it for you).",
  input: { chat_id: chatId, message_id: messageId },
  output: markResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["markAgentMessageProcessed"],
  idSources: { chat_id: "band_list_chats", message_id: "band_wait_for_message" },
  async handler(params, ctx) {
    return markMessage(ctx, params.chat_id, params.message_id);
  },
});
