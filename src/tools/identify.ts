import { resolveMentions } from "../band/mentions.js";
import type { Participant } from "../band/participants.js";

/**
 * The id of the one candidate the model named by id, handle (`@` optional) or display name; undefined when
 * none (or several) match. Uses the same matching rules as mentions, so names work the same everywhere.
 */
export function findId(value: string, candidates: readonly Participant[]): string | undefined {
  try {
    return resolveMentions([value], candidates)[0]?.id;
  } catch {
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
