import { z } from "zod";
import { defineTool } from "../define.js";
import { inboxMessage, liveOf } from "./schemas.js";

export default defineTool({
  name: "band_get_inbox",
  toolset: "inbox",
  title: "Peek at the Band inbox",
  description:
    "Peeks at the messages queued for you without claiming them; band_wait_for_message receives them.",
  input: {
    chat_id: z.string().trim().min(1).max(100).optional().describe("Only this chat."),
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
