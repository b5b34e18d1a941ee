import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId, messageId } from "../common.js";
import { AgentService } from "../../agent/service.js";
import { markResult } from "./schemas.js";

export default defineTool({
  name: "band_mark_failed",
  toolset: "inbox",
  title: "Mark a Band message failed",
  description:
    "Marks a message as failed, with the reason. It stays unprocessed on Band, so a later run can retry it.",
  input: {
    chat_id: chatId,
    message_id: messageId,
    error: z.string().trim().min(1).max(2000).describe("What went wrong."),
  },
  output: markResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["markAgentMessageFailed"],
  idSources: { chat_id: "band_list_chats", message_id: "band_wait_for_message" },
  async handler(params, ctx) {
    return new AgentService(ctx).mark(params.chat_id, params.message_id, { status: "failed", error: params.error }, ctx.signal);
  },
});
