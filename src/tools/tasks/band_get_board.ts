import { z } from "zod";
import { chatId } from "../common.js";
import { defineTool } from "../define.js";
import { boardOutput } from "./shared.js";

export default defineTool({
  name: "band_get_board",
  toolset: "tasks",
  title: "Get a room's goal",
  description:
    "Returns a chat room's board (Beta): the room's goal (goal_title, goal_summary; null when never set) and who set it and when. " +
    "include_history adds the goal's recent changes. The board's tasks are in band_list_tasks; set the goal with band_set_board. " +
    "Find chat ids with band_list_chats.",
  input: {
    chat_id: chatId,
    include_history: z.boolean().optional().describe("Also return the goal's recent change history."),
  },
  output: boardOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getChatBoard"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, include_history }, ctx) {
    const query = { include: include_history ? "history" : undefined };
    const { data } = await ctx.band.call("getChatBoard", { path: { chat_id }, query, signal: ctx.signal });
    return { board: data };
  },
});
