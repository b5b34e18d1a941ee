import { z } from "zod";
import { defineTool } from "../define.js";
import { inboxMessage, liveOf } from "./schemas.js";

export default defineTool({
  name: "band_wait_for_message",
  toolset: "inbox",
  title: "Wait for Band messages",
  description:
    "Returns messages that @mention you on Band, oldest first per chat. Returns at once when something is queued; otherwise blocks until a message arrives or timeout_seconds pass (timed_out: true is a normal result: call again). Each returned message is claimed for you: reply with band_send_message (pass reply_to_message_id to mark it handled), or call band_mark_processed / band_mark_failed when done. Use chat_id to wait on one chat only. This is the heart of the agent loop: wait → work → reply → mark → wait.",
  input: {
    timeout_seconds: z.number().min(0).max(50).default(30).describe("How long to block when nothing is queued (0-50 s)."),
    chat_id: z.string().trim().min(1).max(100).optional().describe("Only messages from this chat (ids from band_list_chats)."),
    max_messages: z.number().int().min(1).max(50).default(10).describe("Most messages to return at once (1-50)."),
  },
  output: {
    messages: z.array(inboxMessage),
    timed_out: z.boolean(),
    pending: z.number().int().describe("Messages still queued after this call."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: [],
  needsLive: true,
  async handler(params, ctx) {
    const timeoutMs = params.timeout_seconds * 1000;
    return liveOf(ctx).wait({
      timeoutMs,
      max: params.max_messages,
      signal: ctx.signal,
      ...(params.chat_id ? { chatId: params.chat_id } : {}),
      onTick: (elapsed) => void ctx.progress(Math.round(elapsed / 1000), params.timeout_seconds, "waiting for Band messages"),
    });
  },
});
