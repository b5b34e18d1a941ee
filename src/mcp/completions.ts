import type { App } from "../app.js";
import { selfId } from "../agent/self.js";

/** The MCP limit on values per answer; one more tells the SDK to set `hasMore`. */
const MAX_VALUES = 100;
/** Without a live room list, at most this many pages of chats are read for one completion. */
const MAX_CHAT_PAGES = 3;
const PAGE_SIZE = 100;

type Context = { arguments?: Record<string, string> } | undefined;

export interface Completers {
  /** Chat ids whose title (or id) matches what was typed. */
  chatId(value: string): Promise<string[]>;
  /** Handles of the participants of the chat named by the `chat_id` argument (of every joined chat without one). */
  handle(value: string, context?: Context): Promise<string[]>;
}

/**
 * What a host's picker offers for arguments that name Band objects. Values are what the
 * argument takes (a chat's id, a handle); the match is on what a person types (a title, a handle or a name).
 * A Band failure offers nothing rather than an error: a picker has no use for one, and the tools word it later.
 */
export function completers(app: App): Completers {
  const log = (what: string) => (error: unknown) => {
    app.log.debug(`no ${what} to complete`, { error: app.redact(String(error)) });
    return [];
  };
  return {
    chatId: (value) => matchingChats(app, value.trim().toLowerCase()).catch(log("chats")),
    handle: (value, context) => matchingHandles(app, value.trim().replace(/^@/, "").toLowerCase(), context?.arguments?.chat_id).catch(log("handles")),
  };
}

/** Titles that start with the text first, then the rest that contain it (or whose id starts with it). */
function ranked<T>(items: T[], keys: (item: T) => string[], query: string): T[] {
  if (!query) return items;
  const starts = new Set(items.filter((item) => keys(item).some((k) => k.toLowerCase().startsWith(query))));
  const contains = items.filter((item) => !starts.has(item) && keys(item).some((k) => k.toLowerCase().includes(query)));
  return [...starts, ...contains];
}

async function matchingChats(app: App, query: string): Promise<string[]> {
  const byTitle = (chat: { id: string; title?: string }) => [chat.title ?? "", chat.id];
  if (app.live) return ranked(app.live.rooms(), byTitle, query).map((c) => c.id);
  if (!app.agent) return [];
  const found: string[] = [];
  for (let page = 1; page <= MAX_CHAT_PAGES && found.length <= MAX_VALUES; page++) {
    const { data, metadata } = await app.agent.call("listAgentChats", { query: { page, page_size: PAGE_SIZE } });
    const chats = (data ?? []).map((c) => ({ id: c.id, ...(c.title ? { title: c.title } : {}) }));
    found.push(...ranked(chats, byTitle, query).map((c) => c.id));
    const totalPages = typeof metadata?.total_pages === "number" ? metadata.total_pages : page;
    if (page >= totalPages || chats.length === 0) break;
  }
  return found;
}

async function matchingHandles(app: App, query: string, chatId: string | undefined): Promise<string[]> {
  if (!app.agent) return [];
  const me = await selfId(app.agent);
  const people = chatId ? await app.participants.list(chatId) : (app.live?.rooms() ?? []).flatMap((r) => app.participants.cached(r.id));
  const handles = new Map<string, string>();
  for (const p of people) if (p.handle && p.id !== me) handles.set(p.handle, p.name ?? "");
  return ranked([...handles], ([handle, name]) => [handle, name], query).map(([handle]) => handle);
}
