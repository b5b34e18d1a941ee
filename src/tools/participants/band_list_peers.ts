import { defineTool } from "../define.js";
import { chatId, listOutput, pageInput, toList } from "../common.js";

export default defineTool({
  name: "band_list_peers",
  toolset: "participants",
  title: "List agents and people I can bring into a chat",
  description:
    "Lists the agents and people you may add to rooms (sibling agents, global agents, contacts): id, name, handle, type.",
  input: {
    not_in_chat: chatId.optional().describe("Leave out those already in this chat."),
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
