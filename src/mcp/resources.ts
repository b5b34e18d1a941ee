import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.js";
import { outgoing } from "../bounds.js";
import { transcript } from "../agent/transcript.js";
import { presentMessage } from "../tools/inbox/schemas.js";
import { describeStatus } from "../tools/inbox/status-words.js";
import type { Completers } from "./completions.js";

const JSON_TYPE = "application/json";

/**
 * The resources listed in docs/tools.md, with subscriptions. McpServer does not implement resources/subscribe, so the
 * handlers go on the low-level server (before connect); updates are sent only for URIs this session subscribed,
 * and nothing is sent before the client's `notifications/initialized` (some clients reject anything earlier).
 * Returns a function that detaches this session from the app's events.
 */
export function registerResources(server: McpServer, app: App, complete: Completers): () => void {
  const live = app.live;
  // Contents and failures both leave the process, so both are masked (Band's words can carry the key).
  const json = async (uri: string, value: unknown) => {
    try {
      const sent = outgoing(await value, app.redact);
      if (!sent) throw new Error(`${uri} is too large to send: read it through the tools, a page at a time.`);
      return { contents: [{ uri, mimeType: JSON_TYPE, text: sent.text }] };
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- a cause would carry the unmasked message out
      throw new Error(app.redact(error instanceof Error ? error.message : String(error)));
    }
  };
  // The room list as this client last read it (resources/list calls the templates' list callbacks); undefined
  // while it has not read it since the last notice, so it has nothing stale to be told about.
  let listedRooms: string | undefined;
  const roomsKey = (list: { id: string; title?: string }[]) => JSON.stringify(list.map((r) => [r.id, r.title ?? ""]));
  const rooms = () => {
    const list = live?.rooms() ?? [];
    listedRooms = roomsKey(list);
    return list;
  };
  const chatIdOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

  server.registerResource("inbox", "band://inbox", { title: "Band inbox", description: "Messages queued for you (peek: reading does not claim them).", mimeType: JSON_TYPE }, (uri) =>
    json(uri.href, (live?.inbox.peek() ?? []).map(presentMessage)),
  );
  server.registerResource(
    "chat-inbox",
    new ResourceTemplate("band://inbox/{chat_id}", {
      list: () => ({ resources: rooms().map((r) => ({ uri: `band://inbox/${r.id}`, name: `Inbox: ${r.title ?? r.id}`, mimeType: JSON_TYPE })) }),
      complete: { chat_id: complete.chatId },
    }),
    { title: "Band inbox for one chat", description: "Messages queued for you from one chat.", mimeType: JSON_TYPE },
    (uri, variables) => json(uri.href, (live?.inbox.peek(chatIdOf(variables.chat_id)) ?? []).map(presentMessage)),
  );
  server.registerResource("status", "band://status", { title: "Band connection status", description: "What band_status returns.", mimeType: JSON_TYPE }, (uri) =>
    json(uri.href, app.status().then(describeStatus)),
  );
  server.registerResource(
    "chat-context",
    new ResourceTemplate("band://chats/{chat_id}/context", {
      list: () => ({ resources: rooms().map((r) => ({ uri: `band://chats/${r.id}/context`, name: `Transcript: ${r.title ?? r.id}`, mimeType: JSON_TYPE })) }),
      complete: { chat_id: complete.chatId },
    }),
    { title: "Band chat transcript", description: "The chat's messages as you see them, oldest first, mentions rendered as @handle.", mimeType: JSON_TYPE },
    (uri, variables) => json(uri.href, app.agent ? transcript(app.agent, app.participants, chatIdOf(variables.chat_id)).then((messages) => messages.map(presentMessage)) : []),
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

  let initialized = false;
  const oninitialized = server.server.oninitialized;
  server.server.oninitialized = () => {
    initialized = true;
    oninitialized?.();
  };

  const updated = (uri: string) => {
    if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const detach = [
    live?.onInboxChanged((chatIds) => {
      updated("band://inbox");
      for (const id of chatIds) updated(`band://inbox/${id}`);
    }),
    live?.onStatusChanged(() => updated("band://status")),
    live?.onChatMessage((chatId) => updated(`band://chats/${chatId}/context`)),
    // Only a list this client has read can be stale: rooms joined before it lists resources need no notice
    // (some clients report every notification they do not expect as an error).
    live?.onRoomsChanged(() => {
      if (!initialized || !server.isConnected() || listedRooms === undefined || listedRooms === roomsKey(live.rooms())) return;
      listedRooms = undefined;
      server.sendResourceListChanged();
    }),
  ];
  return () => {
    for (const off of detach) off?.();
  };
}
