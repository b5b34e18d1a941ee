import { invalid } from "./errors.js";
import { isUuid } from "./ids.js";
import type { ActorRecord, BandStore, RoomRecord } from "./store.js";

/** Whitespace and the invisible characters Band treats as blank ("contains only invisible characters"). */
const BLANK = /[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;

export interface ValidMessage {
  content: string;
  /** Mention-kind entries, in request order: the recipients. */
  mentions: ActorRecord[];
}

const fail = (code: string, pointer: string, problem: string, message: string) => invalid(pointer, problem, code, message);

/**
 * Validates a `{message: {content, mentions}}` body the way Band's send endpoints do (agent and human alike),
 * answering with the 422 codes the spec names, each with its JSON pointer in `details`.
 */
export function validateMessage(store: BandStore, room: RoomRecord, sender: ActorRecord, body: unknown): ValidMessage {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (!message || typeof message !== "object" || Array.isArray(message)) throw invalid("/message", "is required");
  const { content, mentions } = message as { content?: unknown; mentions?: unknown };
  if (typeof content !== "string" || content.replace(BLANK, "") === "") {
    throw fail("validation_error", "/message/content", "can't be blank", "Message content can't be blank");
  }
  if (!Array.isArray(mentions) || mentions.length === 0) {
    throw fail("mentions_required", "/message/mentions", "must include at least one mention", "Messages must @mention at least one participant");
  }

  const seen = new Set<string>();
  const recipients: ActorRecord[] = [];
  mentions.forEach((entry: unknown, index) => {
    const at = `/message/mentions/${index}`;
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw invalid(at, "must be an object");
    const { id, handle, kind } = entry as { id?: unknown; handle?: unknown; kind?: unknown };
    // An explicit `kind: null` is refused like any other unknown kind (the spec says so).
    if ("kind" in entry && kind !== "mention" && kind !== "reference") {
      throw fail("invalid_mention_kind", `${at}/kind`, 'must be "mention" or "reference"', 'Mention kind must be "mention" or "reference"');
    }
    const hasId = id !== undefined && id !== null;
    const hasHandle = typeof handle === "string" && handle.trim() !== "";
    if (!hasId && !hasHandle) throw fail("mention_missing_identifier", at, "needs an id or a handle", "Each mention needs an id or a handle");

    let actor: ActorRecord | undefined;
    if (hasId) {
      // The id is authoritative when both are given.
      if (!isUuid(id)) throw invalid(`${at}/id`, "is not a valid UUID");
      actor = room.participants.has(id) ? store.actor(id) : undefined;
      if (!actor) throw fail("mentioned_participant_not_in_room", `${at}/id`, "is not a participant of this chat room", "Mentioned participant is not in this chat room");
    } else {
      const named = store.actorByHandle(handle as string);
      actor = named && room.participants.has(named.id) ? named : undefined;
      if (!actor) throw fail("handle_not_found", `${at}/handle`, "does not match a participant of this chat room", `Handle ${String(handle)} not found in this chat room`);
    }
    if (actor.id === sender.id) throw fail("cannot_mention_self", at, "is the sender", "You cannot mention yourself");
    if (seen.has(actor.id)) throw fail("duplicate_mentions", at, "mentions the same participant twice", "The same participant is mentioned more than once");
    seen.add(actor.id);
    if (kind !== "reference") recipients.push(actor);
  });
  if (recipients.length === 0) {
    throw fail("mentions_required", "/message/mentions", "must include at least one mention-kind entry", "Messages must @mention at least one participant");
  }
  return { content, mentions: recipients };
}

/** The recipients list of a 201 send response. */
export const recipientsOf = (mentions: ActorRecord[]) => mentions.map((actor) => ({ id: actor.id, handle: actor.handle, name: actor.name }));
