import { chatId, cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { taskId } from "./shared.js";

export default defineTool({
  name: "band_get_task_history",
  toolset: "tasks",
  title: "Get a task's history",
  description:
    "Returns a task's full history, oldest first (Beta): each event has the actor, the time, what happened (created, edited, status_changed, " +
    "commented, dropped, cancelled, superseded, archived, unarchived) and a payload with the from/to values or the comment text. " +
    "Cursor-paged: while has_more is true, pass next_cursor back as cursor. Find chat ids with band_list_chats and tasks with band_list_tasks.",
  input: { chat_id: chatId, task_id: taskId, ...cursorInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getChatTaskHistory"],
  idSources: { chat_id: "band_list_chats", task_id: "band_list_tasks" },
  async handler({ chat_id, task_id, ...query }, ctx) {
    return toList(await ctx.band.call("getChatTaskHistory", { path: { chat_id, id: task_id }, query, signal: ctx.signal }));
  },
});
