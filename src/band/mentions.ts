import { ToolError } from "../errors.js";
import type { Participant } from "./participants.js";

const TOKEN = /@\[\[([^\]\s]+)\]\]/g;

/** Band stores mentions as `@[[uuid]]`; models and people read `@handle`. Unknown ids stay as they are. */
export function renderMentions(content: string, participants: readonly Participant[]): string {
  if (!content.includes("@[[")) return content;
  const byId = new Map(participants.map((p) => [p.id, p]));
  return content.replace(TOKEN, (token, id: string) => {
    const p = byId.get(id);
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
  if (problems.length > 0) {
    const others = participants.filter((p) => p.id !== selfId);
    const roster = others.length ? others.map(describe).join("; ") : "nobody else (add someone with band_add_participant)";
    throw new ToolError(`Cannot resolve mentions: ${problems.join("; ")}. In this room: ${roster}.`);
  }
  if (resolved.size === 0) throw new ToolError("mentions must name at least one participant: Band delivers a message only to those it mentions. Use band_list_participants to see who is in the room.");
  return [...resolved.values()];
}

function describe(p: Participant): string {
  return `${p.handle ? `@${p.handle}` : p.id}${p.name ? ` (${p.name}, ${p.type})` : ` (${p.type})`} id ${p.id}`;
}
