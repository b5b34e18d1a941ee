import { defineTool } from "../define.js";
import { chatId } from "../common.js";
import { chatRoomOutput } from "../shapes.js";

export default defineTool({
  name: "band_get_chat",
  toolset: "chats",
  title: "Get a Band chat",
  description:
    "One chat room you are in: id, title, task_id, timestamps.",
  input: { chat_id: chatId },
  output: chatRoomOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getAgentChat"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id }, ctx) {
    const { data } = await ctx.band.call("getAgentChat", { path: { id: chat_id }, signal: ctx.signal });
    return data;
  },
});
