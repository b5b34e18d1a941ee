import { z } from "zod";
import { defineLiveTool } from "../define.js";
import { inboxMessage, presentMessage } from "./schemas.js";

export default defineLiveTool({
  name: "band_wait_for_message",
  toolset: "inbox",
  title: "Wait for Band messages",
  description:
    "Receives messages that @mention you (oldest first per chat) and claims them. Returns at once if any are queued, else blocks up to timeout_seconds; timed_out: true is normal: call again. Finish each with band_send_message + reply_to_message_id, or band_mark_processed / band_mark_failed.",
  input: {
    timeout_seconds: z.number().min(0).max(50).default(30).describe("Seconds to block when nothing is queued."),
    chat_id: z.string().trim().min(1).max(100).optional().describe("Only this chat."),
    max_messages: z.number().int().min(1).max(50).default(10).describe("Most messages to return."),
  },
  output: {
    messages: z.array(inboxMessage),
    timed_out: z.boolean(),
    interrupted: z.boolean().optional().describe("Band interrupted the wait: nothing to do now; wait again."),
    pending: z.number().int().describe("Messages still queued after this call."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: [],
  async handler(params, ctx) {
    const timeoutMs = params.timeout_seconds * 1000;
    const result = await ctx.live.wait({
      timeoutMs,
      max: params.max_messages,
      signal: ctx.signal,
      ...(params.chat_id ? { chatId: params.chat_id } : {}),
      onTick: (elapsed) => void ctx.progress(Math.round(elapsed / 1000), params.timeout_seconds, "waiting for Band messages"),
    });
    return { ...result, messages: result.messages.map(presentMessage) };
  },
});
