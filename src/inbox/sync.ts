import { BandApiError, type BandClient } from "../band/http.js";
import { renderContent } from "../band/mentions.js";
import { INBOX_CONTENT_CHARS, cutAt } from "../bounds.js";
import { cursorPages } from "../band/pages.js";
import type { Participant } from "../band/participants.js";
import type { Logger } from "../log.js";
import { messageCreated, type BandMessage } from "../realtime/events.js";
import type { InboxMessage } from "./live.js";

export interface Backlog {
  messages: BandMessage[];
  /** False when the walk stopped because the inbox could not hold more: Band has more for a later drain. */
  complete: boolean;
}

/**
 * Every not-yet-processed message of a room, oldest first, through `GET …/messages` cursor pages (this includes
 * messages a crashed process left in `processing`). Stops once `space()` new messages are in hand: the inbox
 * could not hold more, and the rest is fetched by the drain that runs when it has room again.
 */
export async function fetchBacklog(band: BandClient, chatId: string, isNew: (m: BandMessage) => boolean, space: () => number, log: Logger): Promise<Backlog> {
  const messages: BandMessage[] = [];
  let fresh = 0;
  let pages = 0;
  try {
    for await (const page of cursorPages(band, "listAgentMessages", chatId)) {
      pages++;
      for (const raw of page.items) {
        const parsed = messageCreated.safeParse(raw);
        if (!parsed.success) log.warn(`skipped a malformed message in room ${chatId}'s backlog`);
        else {
          messages.push(parsed.data);
          if (isNew(parsed.data)) fresh++;
        }
      }
      if (page.hasMore && fresh >= space()) return { messages, complete: false };
    }
    return { messages, complete: true };
  } catch (error) {
    // A Band without the cursor listing still has /messages/next: at least the oldest message is not missed.
    // Only when the listing itself is refused: a later page refused (a cursor Band no longer takes) means the
    // listing exists and the walk is unfinished, so the drain fails and is retried rather than passing the
    // head message off as the whole backlog (which would lose everything after it).
    if (pages > 0 || !(error instanceof BandApiError) || ![400, 405, 422, 501].includes(error.status)) throw error;
    const { data } = await band.call("getAgentNextMessage", { path: { chat_id: chatId } });
    const parsed = messageCreated.safeParse(data);
    return { messages: parsed.success ? [parsed.data] : [], complete: true };
  }
}

/**
 * Band delivers text messages that mention the agent; never the agent's own (PROTOCOL.md §5.4); and a message
 * its delivery status already shows processed for this agent is done.
 */
export function isForAgent(message: BandMessage, agentId: string): boolean {
  if (message.sender_id === agentId || message.message_type !== "text") return false;
  if (message.metadata?.delivery_status?.[agentId]?.status === "processed") return false;
  const mentions = message.metadata?.mentions;
  if (!mentions) return true;
  return mentions.some((m) => m.id === agentId) || message.content.includes(`@[[${agentId}]]`);
}

export function toInboxMessage(message: BandMessage, chatId: string, chatTitle: string | undefined, participants: readonly Participant[], agentId?: string): InboxMessage {
  const sender = participants.find((p) => p.id === message.sender_id);
  const name = sender?.name ?? message.sender_name ?? undefined;
  const handle = sender?.handle ?? undefined;
  const content = cutAt(renderContent(message.content, message.metadata?.mentions, participants), INBOX_CONTENT_CHARS);
  // Our own entry only (isForAgent reads it the same way): no record of every recipient built per message.
  const attempt = agentId === undefined ? undefined : (message.metadata?.delivery_status?.[agentId]?.current_attempt ?? undefined);
  return {
    id: message.id,
    chat_id: chatId,
    ...(chatTitle ? { chat_title: chatTitle } : {}),
    sender: { id: message.sender_id, ...(name ? { name } : {}), ...(handle ? { handle } : {}), type: message.sender_type },
    content: content.text,
    message_type: message.message_type,
    mentions: (message.metadata?.mentions ?? []).map((m) => ({
      id: m.id,
      ...(m.handle ? { handle: m.handle } : {}),
      ...(m.name ? { name: m.name } : {}),
    })),
    created_at: message.inserted_at,
    ...(attempt !== undefined ? { attempt } : {}),
    ...(content.cut ? { cut_chars: content.cut } : {}),
  };
}
