/**
 * Mentions that do not name exactly the room's participants: each problem, and who is in the room, described.
 * No problems means the list named nobody. Knows no tool names: tools/errors.ts words it for the model.
 */
export class MentionError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly roster: readonly string[],
  ) {
    super(problems.length ? `cannot resolve mentions: ${problems.join("; ")}` : "mentions name nobody");
    this.name = "MentionError";
  }
}
import type { Participant } from "./participants.js";

/** Bounded: with an unbounded run, text made of repeated "@[[" made every match attempt scan to the end (quadratic). */
const TOKEN = /@\[\[([^\]\s]{1,100})\]\]/g;

/** Each participant list by id, built once per list: lists are replaced, never changed, when someone joins or leaves. */
const indexes = new WeakMap<readonly Participant[], ReadonlyMap<string, Participant>>();

function byId(participants: readonly Participant[]): ReadonlyMap<string, Participant> {
  let index = indexes.get(participants);
  if (!index) indexes.set(participants, (index = new Map(participants.map((p) => [p.id, p]))));
  return index;
}

/**
 * Band stores mentions as `@[[uuid]]`; models and people read `@handle`. The room's participants come first; the
 * message's own `metadata.mentions` fill in for people who have since left. Unknown ids stay as they are.
 */
export function renderContent(content: string, mentions: unknown, participants: readonly Participant[]): string {
  if (!content.includes("@[[")) return content;
  const inRoom = participants.length > 0 ? byId(participants) : undefined;
  return content.replace(TOKEN, (token, id: string) => {
    const p = inRoom?.get(id) ?? mentionedIn(mentions, id);
    const label = p?.handle || p?.name;
    return label ? `@${label}` : token;
  });
}

export interface MentionRef {
  id: string;
  handle?: string;
  name?: string;
}

const normalize = (text: string) => text.trim().replace(/^@/, "").toLowerCase();

/**
 * Resolves what the model wrote (a handle with or without `@`, a display name, or an id) against the room's
 * participants. Anything unresolvable or ambiguous is an error that lists who is in the room.
 */
export function resolveMentions(wanted: readonly string[], participants: readonly Participant[], selfId?: string): MentionRef[] {
  const problems: string[] = [];
  const resolved = new Map<string, MentionRef>();
  for (const raw of wanted) {
    const key = normalize(raw);
    if (key === "") continue;
    const byId = participants.filter((p) => p.id.toLowerCase() === key);
    const byHandle = byId.length ? byId : participants.filter((p) => p.handle?.toLowerCase() === key);
    const matches = byHandle.length ? byHandle : participants.filter((p) => p.name?.trim().toLowerCase() === key);
    if (matches.length === 0) problems.push(`"${raw}" is not in this room`);
    else if (matches.length > 1) problems.push(`"${raw}" matches several participants (${matches.map(describe).join(", ")}); use a handle or id`);
    else {
      const p = matches[0]!;
      if (p.id === selfId) problems.push(`"${raw}" is you: an agent cannot mention itself`);
      else resolved.set(p.id, { id: p.id, ...(p.handle ? { handle: p.handle } : {}), ...(p.name ? { name: p.name } : {}) });
    }
  }
  if (problems.length > 0 || resolved.size === 0) {
    throw new MentionError(
      problems,
      participants.filter((p) => p.id !== selfId).map(describe),
    );
  }
  return [...resolved.values()];
}

function describe(p: Participant): string {
  return `${p.handle ? `@${p.handle}` : p.id}${p.name ? ` (${p.name}, ${p.type})` : ` (${p.type})`} id ${p.id}`;
}

export type BandMessage = Record<string, unknown>;

/** A Band message as the model reads it: its `content` rendered by renderContent. */
export function renderMessage<T extends BandMessage>(message: T, participants: readonly Participant[]): T {
  if (typeof message.content !== "string" || !message.content.includes("@[[")) return message;
  const mentions = (message.metadata as { mentions?: unknown } | null | undefined)?.mentions;
  return { ...message, content: renderContent(message.content, mentions, participants) };
}

/** The last well-formed entry for `id` in a message's `metadata.mentions` (Band's snapshot, as written). */
function mentionedIn(mentions: unknown, id: string): { handle: string | null; name: string | null } | undefined {
  if (!Array.isArray(mentions)) return undefined;
  for (let i = mentions.length - 1; i >= 0; i--) {
    const m = mentions[i] as Record<string, unknown> | null;
    if (typeof m !== "object" || m === null || m.id !== id) continue;
    return {
      handle: typeof m.handle === "string" ? m.handle : typeof m.username === "string" ? m.username : null,
      name: typeof m.name === "string" ? m.name : null,
    };
  }
  return undefined;
}
