import { z } from "zod";
import { chatId, compact } from "../common.js";
import { defineTool } from "../define.js";
import { requireSome, type RequestBody } from "../common.js";
import { taskId, taskOutput } from "./shared.js";

const FIELDS = ["status", "active_form", "comment", "subject", "detail", "state", "linked_native_id"] as const;

export default defineTool({
  name: "band_update_task",
  toolset: "tasks",
  title: "Update a task",
  description:
    "Changes a task on a room's board (Beta); send only what changes, at least one field. " +
    "status reports YOUR OWN progress on it (your first status joins you to the task; several participants can work one task); " +
    "active_form says what you are doing right now; comment leaves a note for the others; subject and detail edit the task itself; " +
    'state "cancelled" drops it, "archived" tidies it away and "active" restores it. Status, active_form and comment need an active task; ' +
    'finishing and tidying in one call works (status "completed" with state "archived"). Every change is kept in the task\'s history. ' +
    "Find chat ids with band_list_chats and tasks with band_list_tasks.",
  input: {
    chat_id: chatId,
    task_id: taskId,
    status: z.enum(["pending", "in_progress", "blocked", "in_review", "failed", "completed"]).optional().describe("Your own progress on the task."),
    active_form: z.string().trim().max(200).optional().describe('What you are doing right now, e.g. "Running the tests".'),
    comment: z.string().trim().min(1).max(10_000).optional().describe("A note for the other participants."),
    subject: z.string().trim().min(1).max(500).optional().describe("New title of the task."),
    detail: z.string().trim().max(10_000).optional().describe("New description of the task."),
    state: z.enum(["active", "cancelled", "archived"]).optional().describe("Lifecycle: cancel, archive, or restore to active."),
    linked_native_id: z.string().trim().max(200).optional().describe("Id of your own tracker's copy of this task, if any."),
  },
  output: taskOutput,
  // Destructive because it can cancel or archive a task, even though the history keeps every change.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  operations: ["updateChatTask"],
  idSources: { chat_id: "band_list_chats", task_id: "band_list_tasks" },
  async handler({ chat_id, task_id, ...fields }, ctx) {
    requireSome("band_update_task", fields, FIELDS);
    const body = compact(fields) satisfies RequestBody<"updateChatTask">;
    const { data } = await ctx.band.call("updateChatTask", { path: { chat_id, id: task_id }, body, signal: ctx.signal });
    return { task: data };
  },
});
