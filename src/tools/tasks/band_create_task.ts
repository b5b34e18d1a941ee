import { z } from "zod";
import { chatId, compact } from "../common.js";
import { defineTool } from "../define.js";
import { type RequestBody } from "../common.js";
import { taskId, taskOutput } from "./shared.js";

export default defineTool({
  name: "band_create_task",
  toolset: "tasks",
  title: "Create a task",
  description:
    "Adds a shared task to a chat room's board (Beta); Band gives it an id and the next board number (#N). " +
    "Creating a task does not assign you: report your own progress with band_update_task (your first status joins you to the task). " +
    "When it replaces an existing task, pass that task's id or number as supersedes_id: the old one is kept as a record pointing at the new one. " +
    "Find chat ids with band_list_chats and existing tasks with band_list_tasks.",
  input: {
    chat_id: chatId,
    subject: z.string().trim().min(1).max(500).describe("Short title of the task."),
    detail: z.string().trim().min(1).max(10_000).optional().describe("What needs doing, in more detail."),
    supersedes_id: taskId.optional().describe("Id or board number of the task this one replaces (from band_list_tasks)."),
  },
  output: taskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createChatTask"],
  idSources: { chat_id: "band_list_chats", supersedes_id: "band_list_tasks" },
  async handler({ chat_id, subject, detail, supersedes_id }, ctx) {
    const body = { subject, ...compact({ detail, supersedes_id }) } satisfies RequestBody<"createChatTask">;
    const { data } = await ctx.band.call("createChatTask", { path: { chat_id }, body, signal: ctx.signal });
    return { task: data };
  },
});
