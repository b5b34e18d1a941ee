import { z } from "zod";
import { defineTool } from "../define.js";
import { inboxMessage, liveOf } from "./schemas.js";

export default defineTool({
  name: "band_get_inbox",
  toolset: "inbox",
  title: "Peek at the Band inbox",
  description:
    "Lists the messages queued for you without taking them (they stay queued; nothing is claimed). Use it to see what is waiting, optionally for one chat; use band_wait_for_message to actually receive and claim them.",
  input: {
    chat_id: z.string().trim().min(1).max(100).optional().describe("Only this chat's messages (ids from band_list_chats)."),
  },
  output: { messages: z.array(inboxMessage), pending: z.number().int() },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  operations: [],
  needsLive: true,
  async handler(params, ctx) {
    const messages = liveOf(ctx).peek(params.chat_id);
    return { messages, pending: messages.length };
  },
});
