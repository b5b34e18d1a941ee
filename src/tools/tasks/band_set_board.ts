import { z } from "zod";
import { chatId, compact } from "../common.js";
import { defineTool } from "../define.js";
import { requireSome, type RequestBody } from "../common.js";
import { boardOutput } from "./shared.js";

export default defineTool({
  name: "band_set_board",
  toolset: "tasks",
  title: "Set a room's goal",
  description:
    "Sets or changes a chat room's goal on its board (Beta): send goal_title and/or goal_summary (at least one); only what you send changes. " +
    "Any participant may set it, and every change is kept in the goal's history. Read the current goal with band_get_board. " +
    "Find chat ids with band_list_chats.",
  input: {
    chat_id: chatId,
    goal_title: z.string().trim().min(1).max(200).optional().describe("Short statement of what the room is working towards."),
    goal_summary: z.string().trim().max(10_000).optional().describe("The goal in more detail."),
  },
  output: boardOutput,
  // Not destructive: the previous goal stays in the board's history.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["putChatBoard"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, ...goal }, ctx) {
    requireSome("band_set_board", goal, ["goal_title", "goal_summary"]);
    const body = compact(goal) satisfies RequestBody<"putChatBoard">;
    const { data } = await ctx.band.call("putChatBoard", { path: { chat_id }, body, signal: ctx.signal });
    return { board: data };
  },
});
