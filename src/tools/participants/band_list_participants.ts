import { defineTool } from "../define.js";
import { chatId, listOutput } from "../common.js";

export default defineTool({
  name: "band_list_participants",
  toolset: "participants",
  title: "List the participants of a Band chat",
  description:
    "Lists everyone in a chat room: id, type, role, name, handle: whom you can mention. To find someone not in the room, use band_list_peers.",
  input: { chat_id: chatId },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentChatParticipants"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id }, ctx) {
    // Always fresh from Band, and the refreshed list also serves mention resolution from now on.
    ctx.participants.forget(chat_id);
    const items = await ctx.participants.list(chat_id, ctx.signal);
    return { items: items as unknown as Record<string, unknown>[], has_more: false, next_cursor: null, total_count: items.length };
  },
});
