import { z } from "zod";
import { idArg } from "../common.js";

export const taskId = idArg('Task id: its UUID or its board number as text, e.g. "3" for task #3 (from band_list_tasks).');

const actor = z.looseObject({ id: z.string(), name: z.string(), type: z.string(), handle: z.string().nullable().optional() });

/** A task as Band returns it; Band's further fields pass through. */
export const taskOutput = {
  task: z.looseObject({
    id: z.string(),
    number: z.number().int().describe("The task's board number (#N), usable as task_id."),
    subject: z.string(),
    detail: z.string(),
    state: z.string().describe("active, cancelled, superseded or archived; only active tasks accept work."),
    overall_status: z.string().describe("Roll-up of every assignee's status."),
    assignments: z.array(z.looseObject({ assignee: actor, status: z.string(), active_form: z.string() })),
    created_by: actor,
  }),
};

/** The room's board (its goal) as Band returns it. */
export const boardOutput = {
  board: z.looseObject({
    chat_room_id: z.string(),
    goal_title: z.string().nullable(),
    goal_summary: z.string().nullable(),
  }),
};
