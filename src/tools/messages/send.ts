import { z } from "zod";
import { MentionError, resolveMentions, type MentionRef } from "../../band/mentions.js";
import type { ToolContext } from "../define.js";
import { selfId } from "../self.js";

/**
 * Sending, shared by band_send_message and band_send_and_wait so both resolve `mentions` the same way
 * (handles, names or ids; unresolvable ones are errors that list the room).
 */

/** Band caps event text at 16,384 characters; messages get the same bound, so a runaway argument is refused locally. */
export const contentInput = z.string().trim().min(1).max(16_384).describe("The text; Band prepends mentioned participants it does not name.");

export const mentionsInput = z.array(z.string().trim().min(1).max(200)).min(1).max(50);

/** Resolves mentions against the room, refreshing the cached participant list once when it may be stale. */
export async function resolveRecipients(ctx: ToolContext, chatId: string, mentions: readonly string[]): Promise<MentionRef[]> {
  const self = await selfId(ctx);
  try {
    return resolveMentions(mentions, await ctx.participants.list(chatId, ctx.signal), self);
  } catch (error) {
    if (!(error instanceof MentionError)) throw error;
    ctx.participants.forget(chatId);
    return resolveMentions(mentions, await ctx.participants.list(chatId, ctx.signal), self);
  }
}

export interface Sent {
  message_id: string;
  recipients: { id: string; handle?: string | null; name?: string | null }[];
}

/** Posts a text message to already-resolved recipients. */
export async function postMessage(ctx: ToolContext, chatId: string, content: string, recipients: readonly MentionRef[]): Promise<Sent> {
  const { data } = await ctx.band.call("createAgentChatMessage", {
    path: { chat_id: chatId },
    body: { message: { content, mentions: recipients } },
    signal: ctx.signal,
  });
  return { message_id: data.id, recipients: data.recipients ?? [] };
}
