import { z } from "zod";
import type { InboxMessage, LiveInbox } from "../../inbox/live.js";
import { ToolError, defineLiveTool } from "../define.js";
import { chatId } from "../common.js";
import { inboxMessage, presentMessage } from "../inbox/schemas.js";
import { contentInput, mentionsInput, postMessage, resolveRecipients } from "./send.js";

/** States in which the inbox cannot receive the reply: refuse before sending rather than after. */
const DEAF = new Set(["conflict", "unauthorized"]);

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
    const { live } = ctx;
    assertCanHear(live);
    const recipients = await resolveRecipients(ctx, chat_id, mentions);
    const awaited = new Set(recipients.map((r) => r.id));
    // Messages already queued were written before the question, so they are not answers to it. Anything newer
    // stays queued until the wait below takes it, so a reply that beats the send's response is not missed.
    const earlier = new Set(live.peek(chat_id).map((m) => m.id));
    const { message_id } = await postMessage(ctx, chat_id, content, recipients);
    const who = recipients.map((r) => (r.handle ? `@${r.handle}` : r.name ?? r.id)).join(", ");
    await ctx.progress(0, timeout_seconds, `sent; waiting for a reply from ${who}`);
    const { messages, timed_out, interrupted } = await live.wait({
      timeoutMs: timeout_seconds * 1000,
      chatId: chat_id,
      max: 1,
      signal: ctx.signal,
      accept: (m: InboxMessage) => awaited.has(m.sender.id) && !earlier.has(m.id),
      onTick: (elapsedMs) => void ctx.progress(Math.round(elapsedMs / 1000), timeout_seconds, `waiting for a reply from ${who}`),
    });
    return { message_id, reply: messages[0] ? presentMessage(messages[0]) : null, timed_out, ...(interrupted ? { interrupted } : {}) };
  },
});

function assertCanHear(live: LiveInbox): void {
  const status = live.status();
  if (DEAF.has(status.connection)) {
    throw new ToolError(
      `Nothing was sent: the inbox cannot receive replies (${status.detail ?? status.connection}). Send with band_send_message instead and read answers later with band_list_messages; band_status says how to fix the connection.`,
    );
  }
}
