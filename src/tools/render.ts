import { renderMessage, type BandMessage } from "../band/mentions.js";
import { READ_CONTENT_CHARS, cutText } from "../bounds.js";
import type { ToolContext } from "./define.js";

/**
 * Renders a page of one chat's messages, fetching the (cached) participants only when a token needs them, and
 * bounds each message's content.
 */
export async function renderMessages<T extends BandMessage>(ctx: ToolContext, chatId: string, messages: readonly T[]): Promise<T[]> {
  const needsParticipants = messages.some((m) => typeof m.content === "string" && m.content.includes("@[["));
  const participants = needsParticipants ? await ctx.participants.list(chatId, ctx.signal) : [];
  return messages.map((m) => bounded(renderMessage(m, participants)));
}

/** Where a message cut in the chat-reading tools can be read: nowhere through MCP. */
const READ_LIMIT_NOTE = `Messages are shown up to ${READ_CONTENT_CHARS} characters here; open the chat on Band to read the rest.`;

function bounded<T extends BandMessage>(message: T): T {
  if (typeof message.content !== "string" || message.content.length <= READ_CONTENT_CHARS) return message;
  return { ...message, content: cutText(message.content, READ_CONTENT_CHARS, READ_LIMIT_NOTE) };
}
