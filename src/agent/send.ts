import type { BandClient } from "../band/http.js";
import { MentionError, resolveMentions, type MentionRef } from "../band/mentions.js";
import type { Participants } from "../band/participants.js";

/** Band caps event text at 16,384 characters; messages get the same bound, so a runaway text is refused locally. */
export const MAX_CONTENT_CHARS = 16_384;
/** At most this many mentions per message, each at most MAX_MENTION_CHARS long. */
export const MAX_MENTIONS = 50;
export const MAX_MENTION_CHARS = 200;

export interface Sent {
  message_id: string;
  recipients: { id: string; handle?: string | null; name?: string | null }[];
}

/**
 * Resolves mentions (handles, names or ids) against the room; an unresolvable one is a MentionError that lists
 * the room. The cached participant list is refreshed once when it may be stale.
 */
export async function resolveRecipients(participants: Participants, chatId: string, mentions: readonly string[], self: string, signal?: AbortSignal): Promise<MentionRef[]> {
  try {
    return resolveMentions(mentions, await participants.list(chatId, signal), self);
  } catch (error) {
    if (!(error instanceof MentionError)) throw error;
    participants.forget(chatId);
    return resolveMentions(mentions, await participants.list(chatId, signal), self);
  }
}

/** Posts a text message to already-resolved recipients. */
export async function postMessage(band: BandClient, chatId: string, content: string, recipients: readonly MentionRef[], signal?: AbortSignal): Promise<Sent> {
  const { data } = await band.call("createAgentChatMessage", {
    path: { chat_id: chatId },
    body: { message: { content, mentions: recipients } },
    ...(signal ? { signal } : {}),
  });
  return { message_id: data.id, recipients: data.recipients ?? [] };
}
