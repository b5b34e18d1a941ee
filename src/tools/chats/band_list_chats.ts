import { defineTool } from "../define.js";
import { listOutput, pageInput, toList } from "../common.js";

export default defineTool({
  name: "band_list_chats",
  toolset: "chats",
  title: "List my Band chats",
  description:
    "Lists the Band chat rooms this agent participates in (id, title, task_id, timestamps), a page at a time. Use it to find a chat_id for the other chat tools, or to see where you are active. When has_more is true, call again with the next page.",
  input: { ...pageInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentChats"],
  async handler({ page, page_size }, ctx) {
    return toList(await ctx.band.call("listAgentChats", { query: { page, page_size }, signal: ctx.signal }));
  },
});
