import { defineTool } from "../define.js";
import { chatId } from "../common.js";
import { chatRoomOutput } from "../shapes.js";

export default defineTool({
  name: "band_get_chat",
  toolset: "chats",
  title: "Get a Band chat",
  description:
    "Returns one Band chat room this agent participates in: id, title, task_id and timestamps. Use it to check a chat's title or linked task. Find chat ids with band_list_chats.",
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
