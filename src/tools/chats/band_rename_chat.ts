import { defineTool } from "../define.js";
import { chatId, roomTitle } from "../common.js";
import { chatRoomOutput } from "../shapes.js";

export default defineTool({
  name: "band_rename_chat",
  toolset: "chats",
  title: "Rename a Band chat",
  description:
    "Sets the title of a chat room you own and returns the room.",
  input: {
    chat_id: chatId,
    title: roomTitle.describe("New title, one line."),
  },
  output: chatRoomOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["renameAgentChat"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, title }, ctx) {
    // Renaming to the same title is a no-op on Band, so a failed attempt is safe to resend.
    const { data } = await ctx.band.call("renameAgentChat", { path: { id: chat_id }, body: { chat: { title } }, idempotent: true, signal: ctx.signal });
    return data;
  },
});
