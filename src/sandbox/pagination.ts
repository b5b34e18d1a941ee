import { invalid } from "./errors.js";

export type Query = Record<string, string>;

export interface CursorRequest {
  mode: "cursor";
  limit: number;
  /** The position decoded from `cursor`: a list-specific number (an offset, or the last item's sequence). */
  after?: number;
}

export interface PageRequest {
  mode: "page";
  page: number;
  pageSize: number;
}

export interface CursorMetadata {
  has_more: boolean;
  limit: number;
  next_cursor: string | null;
}

export interface PageMetadata {
  page: number;
  page_size: number;
  total_count: number;
  total_pages: number;
}

/**
 * Cursors are opaque to clients; inside they name their list (so one list's cursor is refused by another)
 * and a position in it.
 */
export function encodeCursor(scope: string, position: number): string {
  return Buffer.from(`${scope}.${position}`).toString("base64url");
}

function decodeCursor(scope: string, raw: string): number {
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const match = /^(.+)\.(\d+)$/.exec(text);
  if (!match || match[1] !== scope) throw invalid("/cursor", "is invalid or expired");
  return Number(match[2]);
}

function integer(query: Query, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalid(`/${name}`, "must be an integer");
  return Number(raw);
}

/** `page` (1-based) and `page_size` for the page-only lists; out-of-range sizes are clamped, as Scrivener does. */
export function readPage(query: Query, options: { defaultPageSize?: number; maxPageSize?: number } = {}): PageRequest {
  const page = integer(query, "page") ?? 1;
  const pageSize = integer(query, "page_size") ?? options.defaultPageSize ?? 20;
  if (page < 1) throw invalid("/page", "must be greater than or equal to 1");
  return { mode: "page", page, pageSize: Math.min(Math.max(pageSize, 1), options.maxPageSize ?? 100) };
}

/**
 * Cursor (`cursor` + `limit`) or the deprecated page family (`page` + `page_size`). Mixing the two is refused
 * with 422, as the spec states for memories: the local Band applies it everywhere so a client never relies on
 * one family silently winning.
 */
export function readPagination(
  query: Query,
  scope: string,
  options: { defaultLimit: number; maxLimit?: number; maxPageSize?: number },
): CursorRequest | PageRequest {
  const cursorFamily = query.cursor !== undefined || query.limit !== undefined;
  const pageFamily = query.page !== undefined || query.page_size !== undefined;
  if (cursorFamily && pageFamily) throw invalid("/cursor", "cannot be combined with page or page_size");
  if (pageFamily) return readPage(query, { defaultPageSize: options.defaultLimit, maxPageSize: options.maxPageSize });
  const limit = integer(query, "limit") ?? options.defaultLimit;
  if (limit < 1) throw invalid("/limit", "must be greater than or equal to 1");
  const after = query.cursor ? decodeCursor(scope, query.cursor) : undefined;
  return { mode: "cursor", limit: Math.min(limit, options.maxLimit ?? 100), ...(after === undefined ? {} : { after }) };
}

export function cursorMetadata(limit: number, scope: string, nextPosition: number | undefined): CursorMetadata {
  return {
    has_more: nextPosition !== undefined,
    limit,
    next_cursor: nextPosition === undefined ? null : encodeCursor(scope, nextPosition),
  };
}

export function pageMetadata(request: PageRequest, totalCount: number): PageMetadata {
  return {
    page: request.page,
    page_size: request.pageSize,
    total_count: totalCount,
    total_pages: Math.max(1, Math.ceil(totalCount / request.pageSize)),
  };
}

export function pageSlice<T>(items: readonly T[], request: PageRequest): { data: T[]; metadata: PageMetadata } {
  const start = (request.page - 1) * request.pageSize;
  return { data: items.slice(start, start + request.pageSize), metadata: pageMetadata(request, items.length) };
}

/**
 * One page of an in-memory list in either family. Cursor positions are offsets: fine for lists that do not
 * shrink while a client walks them (message queues, which do, page by sequence instead).
 */
export function paginate<T>(
  items: readonly T[],
  request: CursorRequest | PageRequest,
  scope: string,
): { data: T[]; metadata: CursorMetadata & Partial<PageMetadata> } {
  if (request.mode === "page") {
    const { data, metadata } = pageSlice(items, request);
    const hasMore = request.page * request.pageSize < items.length;
    return { data, metadata: { has_more: hasMore, limit: request.pageSize, next_cursor: null, ...metadata } };
  }
  const start = request.after ?? 0;
  const data = items.slice(start, start + request.limit);
  const next = start + request.limit < items.length ? start + request.limit : undefined;
  return { data, metadata: cursorMetadata(request.limit, scope, next) };
}
