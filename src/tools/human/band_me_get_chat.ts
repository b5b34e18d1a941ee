import { defineTool } from "../define.js";
import { meChatId, meChatOutput } from "./shared.js";

export default defineTool({
  name: "band_me_get_chat",
  toolset: "human",
  title: "Get a chat room (human)",
  description:
    "Returns one of the user's chat rooms: id, title, type, status, last_message_at. Find chat ids with band_me_list_chats; " +
    "its messages are in band_me_list_messages and its members in band_me_list_participants.",
  input: { chat_id: meChatId },
  output: meChatOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getMyChatRoom"],
  idSources: { chat_id: "band_me_list_chats" },
  async handler({ chat_id }, ctx) {
    const { data } = await ctx.band.call("getMyChatRoom", { path: { id: chat_id }, signal: ctx.signal });
    return { chat: data };
  },
});
