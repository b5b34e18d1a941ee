import type { BandClient, BandData } from "./http.js";
import type { QueryValue } from "./paths.js";

/** The chat-scoped, cursor-paginated listings the live side reads page by page. */
type CursorListing = "listAgentMessages" | "getAgentChatContext";

export interface Page<Op extends CursorListing> {
  items: BandData<Op>;
  /** Band has more after this page. */
  hasMore: boolean;
}

/** Most pages one walk reads (100 items each): a Band that never says "no more" cannot hold us forever. */
export const MAX_PAGES = 1_000;
/** Pages in a row that are empty yet say "more": after this many the listing is not moving. */
const MAX_EMPTY_PAGES = 10;

/** A page walk Band would never let end: a cursor it already gave, too many pages, or empty pages forever. */
export class PageWalkError extends Error {
  constructor(readonly chatId: string, reason: string) {
    super(`Band's page walk of chat ${chatId} does not end (${reason})`);
    this.name = "PageWalkError";
  }
}

/**
 * A chat's cursor pages, oldest first, 100 items each, until Band says there are no more. Callers stop early by
 * leaving the loop; the last page they saw tells them whether anything was left unread. Throws PageWalkError
 * when the walk would not end (docs/delivery.md guarantee 9).
 */
export async function* cursorPages<Op extends CursorListing>(band: BandClient, operation: Op, chatId: string, query: Record<string, QueryValue> = {}): AsyncGenerator<Page<Op>> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  let empty = 0;
  for (let pages = 1; ; pages++) {
    const { data, metadata } = await band.call(operation, { path: { chat_id: chatId }, query: { ...query, limit: 100, cursor } } as never);
    cursor = metadata?.has_more === true && typeof metadata.next_cursor === "string" ? metadata.next_cursor : undefined;
    const items = (data ?? []) as BandData<Op>;
    yield { items, hasMore: cursor !== undefined };
    if (cursor === undefined) return;
    if (seen.has(cursor)) throw new PageWalkError(chatId, "a cursor repeated");
    seen.add(cursor);
    empty = (items as unknown[]).length === 0 ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_PAGES) throw new PageWalkError(chatId, `${empty} empty pages in a row, each saying there are more`);
    if (pages >= MAX_PAGES) throw new PageWalkError(chatId, `more than ${MAX_PAGES} pages`);
  }
}
