import { defineTool } from "../define.js";
import { chatId, messageId } from "../common.js";
import { AgentService } from "../../agent/service.js";
import { markResult } from "./schemas.js";

export default defineTool({
  name: "band_mark_processed",
  toolset: "inbox",
  title: "Mark a Band message processed",
  description:
    "Marks a message handled, so Band never delivers it again (a reply with reply_to_message_id already does this).",
  input: { chat_id: chatId, message_id: messageId },
  output: markResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["markAgentMessageProcessed"],
  idSources: { chat_id: "band_list_chats", message_id: "band_wait_for_message" },
  async handler(params, ctx) {
    return new AgentService(ctx).mark(params.chat_id, params.message_id, { status: "processed" }, ctx.signal);
  },
});
