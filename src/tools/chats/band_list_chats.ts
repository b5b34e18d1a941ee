import { defineTool } from "../define.js";
import { listOutput, pageInput, toList } from "../common.js";

export default defineTool({
  name: "band_list_chats",
  toolset: "chats",
  title: "List my Band chats",
  description:
    "Lists the chat rooms you are in (id, title, task_id), a page at a time: where chat ids come from.",
  input: { ...pageInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentChats"],
  async handler({ page, page_size }, ctx) {
    return toList(await ctx.band.call("listAgentChats", { query: { page, page_size }, signal: ctx.signal }));
  },
});
