import { renderMentions } from "../band/mentions.js";
import type { Participant } from "../band/participants.js";
import type { ToolContext } from "./define.js";

type BandMessage = Record<string, unknown>;

/**
 * A Band message as the model reads it: `@[[uuid]]` tokens in `content` rendered as `@handle`. The room's
 * participants come first; the message's own `metadata.mentions` fill in for people who have since left.
 */
export function renderMessage<T extends BandMessage>(message: T, participants: readonly Participant[]): T {
  if (typeof message.content !== "string" || !message.content.includes("@[[")) return message;
  // renderMentions keeps the last entry per id, so the room's current participants win over the snapshot.
  const known = [...mentionedIn(message), ...participants];
  return { ...message, content: renderMentions(message.content, known) };
}

/** Renders a page of one chat's messages, fetching the (cached) participants only when a token needs them. */
export async function renderMessages<T extends BandMessage>(ctx: ToolContext, chatId: string, messages: readonly T[]): Promise<T[]> {
  if (!messages.some((m) => typeof m.content === "string" && m.content.includes("@[["))) return [...messages];
  const participants = await ctx.participants.list(chatId, ctx.signal);
  return messages.map((m) => renderMessage(m, participants));
}

function mentionedIn(message: BandMessage): Participant[] {
  const mentions = (message.metadata as { mentions?: unknown } | null | undefined)?.mentions;
  if (!Array.isArray(mentions)) return [];
  return mentions
    .filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null && typeof m.id === "string")
    .map((m) => ({
      id: m.id as string,
      type: "unknown",
      handle: typeof m.handle === "string" ? m.handle : (typeof m.username === "string" ? m.username : null),
      name: typeof m.name === "string" ? m.name : null,
    }));
}
