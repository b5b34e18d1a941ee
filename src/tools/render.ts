import { renderMessage, type BandMessage } from "../band/mentions.js";
import type { ToolContext } from "./define.js";

/** Renders a page of one chat's messages, fetching the (cached) participants only when a token needs them. */
export async function renderMessages<T extends BandMessage>(ctx: ToolContext, chatId: string, messages: readonly T[]): Promise<T[]> {
  if (!messages.some((m) => typeof m.content === "string" && m.content.includes("@[["))) return [...messages];
  const participants = await ctx.participants.list(chatId, ctx.signal);
  return messages.map((m) => renderMessage(m, participants));
}
