import type { InboxMessage } from "../inbox/live.js";

/** What Claude Code renders as `<channel source="band" key="value" …>content</channel>`. */
export interface ChannelEvent {
  content: string;
  meta: Record<string, string>;
}

/** Room titles and display names are typed by people: bounded, and one plain line. */
const MAX_LABEL = 200;

/**
 * A tag attribute must stay one attribute: without quotes, angle brackets or line breaks, a sender's name
 * cannot close the tag or forge a second attribute (the same care as the official Telegram channel's).
 */
function label(value: string): string {
  const flat = value.replace(/[\p{Cc}"<>]+/gu, " ").trim();
  return flat.length > MAX_LABEL ? `${flat.slice(0, MAX_LABEL - 1)}…` : flat;
}

/**
 * The push for one inbox message. Meta keys are lowercase words with "_" only: Claude Code silently drops keys
 * outside [A-Za-z0-9_]. Ids and the timestamp come from Band; the labels are optional and only when known.
 */
export function toChannelEvent(message: InboxMessage): ChannelEvent {
  const meta: Record<string, string> = {
    chat_id: message.chat_id,
    message_id: message.id,
    sender_id: message.sender.id,
    sender_type: message.sender.type,
    created_at: message.created_at,
  };
  const optional = { chat_title: message.chat_title, sender_name: message.sender.name, sender_handle: message.sender.handle };
  for (const [key, value] of Object.entries(optional)) {
    const text = value ? label(value) : "";
    if (text) meta[key] = text;
  }
  return { content: message.content, meta };
}
