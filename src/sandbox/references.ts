/**
 * How text refers to a participant. Band prepends a mention to the content only when the content does not
 * already reference it (PROTOCOL.md §4.2–4.3): by Band's `@[[id]]` token, or written out as `@handle` or
 * `@Display Name`. Both the send endpoints (store.ts) and the web chat's composer (views.ts) read text this way.
 */
import type { ActorRecord } from "./records.js";

/**
 * A handle as people type it: `@` not inside a word (so `me@ada.example` is an address), then letters, digits
 * and `._/-`; punctuation that closes a sentence (`@grace.`) is not part of it: see `handleOf`.
 */
export const TYPED_HANDLE = /(?<![A-Za-z0-9._-])@([A-Za-z0-9][A-Za-z0-9._/-]*)/g;

/** The handle in a TYPED_HANDLE match, without the sentence punctuation that may follow it. */
export const handleOf = (typed: string): string => typed.replace(/[._/-]+$/, "");

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** True when `content` already refers to `actor`: its token, its `@handle` or its `@Display Name`. */
export function isReferenced(content: string, actor: Pick<ActorRecord, "id" | "handle" | "name">): boolean {
  if (content.includes(`@[[${actor.id}]]`)) return true;
  const handle = actor.handle.toLowerCase();
  for (const match of content.matchAll(TYPED_HANDLE)) if (handleOf(match[1]!).toLowerCase() === handle) return true;
  // A name ends where a word does: "@Grace Hopper's" refers to Grace Hopper, "@Grace Hoppers" does not.
  const name = actor.name.trim();
  return name !== "" && new RegExp(`(?<![A-Za-z0-9._-])@${escape(name)}(?![A-Za-z0-9])`, "i").test(content);
}
