import { z } from "zod";
import { chatId, cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_list_tasks",
  toolset: "tasks",
  title: "List a room's tasks",
  description:
    "Lists the tasks on a chat room's shared board (Beta), ordered by board number: subject, detail, state, overall status and who is working " +
    "on each (assignments). Active tasks by default; state picks cancelled, superseded, archived or all. Cursor-paged: while has_more is true, " +
    "pass next_cursor back as cursor. Find chat ids with band_list_chats; the room's goal is in band_get_board.",
  input: {
    chat_id: chatId,
    state: z.enum(["active", "cancelled", "superseded", "archived", "all"]).optional().describe("Which tasks to list (default active)."),
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listChatTasks"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, ...query }, ctx) {
    return toList(await ctx.band.call("listChatTasks", { path: { chat_id }, query, signal: ctx.signal }));
  },
});
