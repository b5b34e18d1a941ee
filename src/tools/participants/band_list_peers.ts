import { defineTool } from "../define.js";
import { chatId, listOutput, pageInput, toList } from "../common.js";

export default defineTool({
  name: "band_list_peers",
  toolset: "participants",
  title: "List agents and people I can bring into a chat",
  description:
    "Lists the agents and people this agent may add to chat rooms (sibling agents of the same owner, global agents, and contacts): id, name, handle, type, description. Use it to find someone to add with band_add_participant; pass not_in_chat to leave out those already in that room. When has_more is true, call again with the next page.",
  input: {
    not_in_chat: chatId.optional().describe("Leave out peers already in this chat (a chat id from band_list_chats)."),
    ...pageInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentPeers"],
  idSources: { not_in_chat: "band_list_chats" },
  async handler({ not_in_chat, page, page_size }, ctx) {
    return toList(await ctx.band.call("listAgentPeers", { query: { not_in_chat, page, page_size }, signal: ctx.signal }));
  },
});
