import { z } from "zod";
import { AgentService } from "../../agent/service.js";
import { defineLiveTool } from "../define.js";
import { chatId } from "../common.js";
import { inboxMessage, presentMessage } from "../inbox/schemas.js";
import { contentInput, mentionsInput } from "./send.js";

export default defineLiveTool({
  name: "band_send_and_wait",
  toolset: "messages",
  title: "Ask on Band and wait for the reply",
  description:
    "Sends a message, then waits for the first reply in that chat from anyone mentioned, and claims it (as band_wait_for_message would). timed_out: true with reply: null is normal: the message was sent; a later answer arrives through band_wait_for_message.",
  input: {
    chat_id: chatId,
    content: contentInput,
    mentions: mentionsInput.describe("As in band_send_message; the first reply from any of them returns."),
    timeout_seconds: z.number().int().min(1).max(50).default(45).describe("Seconds to wait for the reply."),
  },
  output: {
    message_id: z.string().describe("The id of the message you sent."),
    reply: inboxMessage.nullable().describe("The first reply from a mentioned participant, or null when none came in time."),
    timed_out: z.boolean(),
    interrupted: z.boolean().optional().describe("Band interrupted the wait before a reply came."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  // The send is band_send_message's operation (each operation belongs to exactly one tool); this tool reuses it.
  operations: [],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, content, mentions, timeout_seconds }, ctx) {
    let who = "";
    const { reply, ...result } = await new AgentService(ctx).sendAndWait({
      chatId: chat_id,
      content,
      mentions,
      timeoutMs: timeout_seconds * 1000,
      signal: ctx.signal,
      onSent: (recipients) => {
        who = recipients.map((r) => (r.handle ? `@${r.handle}` : r.name ?? r.id)).join(", ");
        return ctx.progress(0, timeout_seconds, `sent; waiting for a reply from ${who}`);
      },
      onTick: (elapsedMs) => void ctx.progress(Math.round(elapsedMs / 1000), timeout_seconds, `waiting for a reply from ${who}`),
    });
    return { message_id: result.message_id, reply: reply ? presentMessage(reply) : null, timed_out: result.timed_out, ...(result.interrupted ? { interrupted: result.interrupted } : {}) };
  },
});
