import type { BandClient } from "../band/http.js";
import { cursorPages } from "../band/pages.js";
import type { Participants } from "../band/participants.js";
import type { InboxMessage } from "../inbox/live.js";
import { toInboxMessage } from "../inbox/sync.js";
import { messageCreated } from "../realtime/events.js";

/** Pages of Band's context a transcript reads (100 messages each): a long chat's transcript is its oldest 500. */
export const TRANSCRIPT_PAGES = 5;

/** A chat's transcript as Band's context gives it, oldest first, mentions rendered, each text bounded as in the inbox. */
export async function transcript(band: BandClient, participants: Participants, chatId: string): Promise<InboxMessage[]> {
  const people = await participants.list(chatId);
  const messages: InboxMessage[] = [];
  let pages = 0;
  for await (const page of cursorPages(band, "getAgentChatContext", chatId)) {
    for (const raw of page.items) {
      const parsed = messageCreated.safeParse(raw);
      if (parsed.success) messages.push(toInboxMessage(parsed.data, chatId, undefined, people));
    }
    if (++pages >= TRANSCRIPT_PAGES) break;
  }
  return messages;
}

/** Who wrote a message, seen from this agent: itself, a person, or another agent. */
export type Role = "self" | "user" | "agent";

export function roleOf(message: InboxMessage, selfId: string): Role {
  if (message.sender.id === selfId) return "self";
  return message.sender.type.toLowerCase() === "agent" ? "agent" : "user";
}
