/**
 * What the web chat and the control API show of the world: rooms, and messages with each mentioned agent's
 * processing state. One projection for both, so what a CI script asserts is what a person sees.
 */
import { renderMarkdown } from "./markdown.js";
import { handleOf, TYPED_HANDLE } from "./references.js";
import type { ActorRecord, BandStore, MessageRecord, RoomRecord } from "./store.js";

export type MessageState = "unprocessed" | "processing" | "processed" | "failed";

export interface PersonView {
  id: string;
  name: string;
  handle: string;
  type: "User" | "Agent";
}

export interface MessageView {
  id: string;
  room_id: string;
  sender: PersonView;
  /** The text with Band's `@[[id]]` tokens rendered as `@handle`. */
  content: string;
  /** `content` as HTML from its markdown, raw HTML off (markdown.ts): what the web chat shows. */
  html: string;
  message_type: string;
  mentions: { id: string; handle: string; name: string }[];
  created_at: string;
  /** One entry per mentioned agent: where that agent is with this message. */
  states: { agent_id: string; handle: string; state: MessageState; attempts: number; error?: string }[];
  /** Grows with every state change, so a reader holding two views of the message keeps the later one. */
  version: number;
}

export interface RoomView {
  id: string;
  title: string;
  participants: (PersonView & { role: string })[];
}

export const personView = (actor: Pick<ActorRecord, "id" | "name" | "handle" | "type">): PersonView => ({
  id: actor.id,
  name: actor.name,
  handle: actor.handle,
  type: actor.type,
});

const TOKEN = /@\[\[([0-9a-f-]{36})\]\]/gi;

/** `@[[uuid]]` → `@handle` for actors the store knows; unknown ids stay as they are. */
export function renderMentions(store: BandStore, content: string): string {
  return content.replace(TOKEN, (token, id: string) => {
    const actor = store.actor(id.toLowerCase());
    return actor ? `@${actor.handle}` : token;
  });
}

export function messageView(store: BandStore, message: MessageRecord): MessageView {
  const sender = store.actor(message.senderId);
  const states: MessageView["states"] = [];
  let version = 0;
  for (const { attempts } of message.deliveries.values()) {
    // Opening an attempt is one change and closing it another.
    version += attempts.length * 2 - (attempts[attempts.length - 1]?.status === "processing" ? 1 : 0);
  }
  for (const mention of message.mentions) {
    if (store.actor(mention.id)?.type !== "Agent" || mention.id === message.senderId) continue;
    const delivery = message.deliveries.get(mention.id);
    const last = delivery?.attempts[delivery.attempts.length - 1];
    states.push({
      agent_id: mention.id,
      handle: mention.handle,
      state: delivery ? delivery.status : "unprocessed",
      attempts: delivery?.attempts.length ?? 0,
      ...(delivery?.status === "failed" && last?.error !== undefined ? { error: last.error } : {}),
    });
  }
  const content = renderMentions(store, message.content);
  return {
    id: message.id,
    room_id: message.roomId,
    sender: sender ? personView(sender) : { id: message.senderId, name: message.senderName, handle: "", type: message.senderType },
    content,
    html: renderMarkdown(message, content),
    message_type: message.messageType,
    mentions: message.mentions.map(({ id, handle, name }) => ({ id, handle, name })),
    created_at: message.insertedAt,
    states,
    version,
  };
}

export function roomView(store: BandStore, room: RoomRecord): RoomView {
  const participants: RoomView["participants"] = [];
  for (const { actorId, role } of room.participants.values()) {
    const actor = store.actor(actorId);
    if (actor) participants.push({ ...personView(actor), role });
  }
  return { id: room.id, title: room.title ?? "Untitled room", participants };
}

/**
 * Finds the `@handle`s typed in `content` that name participants of `room`, and rewrites each into Band's
 * `@[[id]]` token (what Band's own UI stores). Handles that match no participant stay plain text.
 */
export function typedMentions(store: BandStore, room: RoomRecord, content: string): { content: string; mentionIds: string[] } {
  const mentionIds: string[] = [];
  const rewritten = content.replace(TYPED_HANDLE, (text, typed: string) => {
    const handle = handleOf(typed);
    const actor = store.actorByHandle(handle);
    if (!actor || !room.participants.has(actor.id)) return text;
    if (!mentionIds.includes(actor.id)) mentionIds.push(actor.id);
    return `@[[${actor.id}]]${typed.slice(handle.length)}`;
  });
  return { content: rewritten, mentionIds };
}
