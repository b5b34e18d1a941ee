import { z } from "zod";
import { chatId } from "../common.js";
import { defineTool } from "../define.js";
import { taskId, taskOutput } from "./shared.js";

export default defineTool({
  name: "band_get_task",
  toolset: "tasks",
  title: "Get a task",
  description:
    "Returns one task from a room's board (Beta), by UUID or board number, in any state (cancelled, superseded and archived tasks stay readable). " +
    "include_history adds its latest 100 changes and comments; the full history is in band_get_task_history. " +
    "Find chat ids with band_list_chats and tasks with band_list_tasks.",
  input: {
    chat_id: chatId,
    task_id: taskId,
    include_history: z.boolean().optional().describe("Also return the task's recent change and comment history."),
  },
  output: taskOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getChatTask"],
  idSources: { chat_id: "band_list_chats", task_id: "band_list_tasks" },
  async handler({ chat_id, task_id, include_history }, ctx) {
    const query = { include: include_history ? "history" : undefined };
    const { data } = await ctx.band.call("getChatTask", { path: { chat_id, id: task_id }, query, signal: ctx.signal });
    return { task: data };
  },
});
