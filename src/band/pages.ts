import type { BandClient, BandData, QueryValue } from "./http.js";

/** The chat-scoped, cursor-paginated listings the live side reads page by page. */
type CursorListing = "listAgentMessages" | "getAgentChatContext";

export interface Page<Op extends CursorListing> {
  items: BandData<Op>;
  /** Band has more after this page. */
  hasMore: boolean;
}

/**
 * A chat's cursor pages, oldest first, 100 items each, until Band says there are no more. Callers stop early by
 * leaving the loop; the last page they saw tells them whether anything was left unread.
 */
export async function* cursorPages<Op extends CursorListing>(band: BandClient, operation: Op, chatId: string, query: Record<string, QueryValue> = {}): AsyncGenerator<Page<Op>> {
  let cursor: string | undefined;
  do {
    const { data, metadata } = await band.call(operation, { path: { chat_id: chatId }, query: { ...query, limit: 100, cursor } } as never);
    cursor = metadata?.has_more === true && typeof metadata.next_cursor === "string" ? metadata.next_cursor : undefined;
    yield { items: (data ?? []) as BandData<Op>, hasMore: cursor !== undefined };
  } while (cursor !== undefined);
}
