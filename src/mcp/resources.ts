import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.js";
import { cursorPages } from "../band/pages.js";
import { messageCreated } from "../realtime/events.js";
import { toInboxMessage } from "../inbox/sync.js";

const JSON_TYPE = "application/json";
const TRANSCRIPT_PAGES = 5;


/**
 * The resources of DESIGN.md §1 with subscriptions. McpServer does not implement resources/subscribe, so the
 * handlers go on the low-level server (before connect); updates are sent only for URIs this session subscribed.
 * Returns a function that detaches this session from the app's events.
 */
export function registerResources(server: McpServer, app: App): () => void {
  const live = app.live;
  // Contents and failures both leave the process, so both are masked (Band's words can carry the key).
  const json = async (uri: string, value: unknown) => {
    try {
      return { contents: [{ uri, mimeType: JSON_TYPE, text: app.redact(JSON.stringify(await value)) }] };
    } catch (error) {
      throw new Error(app.redact(error instanceof Error ? error.message : String(error)));
    }
  };
  const rooms = () => live?.rooms() ?? [];
  const chatIdOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

  server.registerResource("inbox", "band://inbox", { title: "Band inbox", description: "Messages queued for you (peek: reading does not claim them).", mimeType: JSON_TYPE }, (uri) =>
    json(uri.href, live?.peek() ?? []),
  );
  server.registerResource(
    "chat-inbox",
    new ResourceTemplate("band://inbox/{chat_id}", {
      list: () => ({ resources: rooms().map((r) => ({ uri: `band://inbox/${r.id}`, name: `Inbox: ${r.title ?? r.id}`, mimeType: JSON_TYPE })) }),
    }),
    { title: "Band inbox for one chat", description: "Messages queued for you from one chat.", mimeType: JSON_TYPE },
    (uri, variables) => json(uri.href, live?.peek(chatIdOf(variables.chat_id)) ?? []),
  );
  server.registerResource("status", "band://status", { title: "Band connection status", description: "What band_status returns.", mimeType: JSON_TYPE }, (uri) =>
    json(uri.href, app.status()),
  );
  server.registerResource(
    "chat-context",
    new ResourceTemplate("band://chats/{chat_id}/context", {
      list: () => ({ resources: rooms().map((r) => ({ uri: `band://chats/${r.id}/context`, name: `Transcript: ${r.title ?? r.id}`, mimeType: JSON_TYPE })) }),
    }),
    { title: "Band chat transcript", description: "The chat's messages as you see them, oldest first, mentions rendered as @handle.", mimeType: JSON_TYPE },
    (uri, variables) => json(uri.href, transcript(app, chatIdOf(variables.chat_id))),
  );
  if (app.agent) {
    const agent = app.agent;
    server.registerResource("me", "band://me", { title: "My Band profile", mimeType: JSON_TYPE }, (uri) => json(uri.href, agent.call("getAgentMe").then((r) => r.data)));
  }

  const subscribed = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  const updated = (uri: string) => {
    if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const onInbox = (chatIds: Set<string>) => {
    updated("band://inbox");
    for (const id of chatIds) updated(`band://inbox/${id}`);
  };
  const onStatus = () => updated("band://status");
  const onChat = (chatId: string) => updated(`band://chats/${chatId}/context`);
  const onRooms = () => {
    if (server.isConnected()) server.sendResourceListChanged();
  };
  live?.on("inbox", onInbox).on("status", onStatus).on("chat", onChat).on("rooms", onRooms);
  return () => {
    live?.off("inbox", onInbox).off("status", onStatus).off("chat", onChat).off("rooms", onRooms);
  };
}

/** The chat's transcript as Band's context gives it (at most five pages of 100), oldest first, mentions rendered. */
async function transcript(app: App, chatId: string) {
  if (!app.agent) return [];
  const participants = await app.participants.list(chatId);
  const messages = [];
  let pages = 0;
  for await (const page of cursorPages(app.agent, "getAgentChatContext", chatId)) {
    for (const raw of page.items) {
      const parsed = messageCreated.safeParse(raw);
      if (parsed.success) messages.push(toInboxMessage(parsed.data, chatId, undefined, participants));
    }
    if (++pages >= TRANSCRIPT_PAGES) break;
  }
  return messages;
}
