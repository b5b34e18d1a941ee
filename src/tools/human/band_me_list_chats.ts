import { z } from "zod";
import { cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_me_list_chats",
  toolset: "human",
  title: "List my chat rooms (human)",
  description:
    "Lists the chat rooms the user takes part in: id, title, type (direct, group, task), status (active, archived, closed) and last_message_at. " +
    "Filter by status or type; sort by inserted_at or updated_at. Cursor-paged: while has_more is true, pass next_cursor back as cursor. " +
    "The ids are the chat_id of the other band_me_* chat tools.",
  input: {
    status: z.enum(["active", "archived", "closed"]).optional().describe("Only rooms in this status."),
    type: z.enum(["direct", "group", "task"]).optional().describe("Only rooms of this type."),
    sort_by: z.enum(["inserted_at", "updated_at"]).optional().describe("Sort field."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order."),
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listMyChats"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listMyChats", { query: params, signal: ctx.signal }));
  },
});
