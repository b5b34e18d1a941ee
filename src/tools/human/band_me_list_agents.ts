import { z } from "zod";
import { cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_me_list_agents",
  toolset: "human",
  title: "List my agents (human)",
  description:
    "Lists the agents the user owns (platform, external and global ones): id, name, slug, description, whether external, tags. " +
    "Filter by name, is_external or listed_in_directory; sort by name, inserted_at or updated_at. Cursor-paged: while has_more is true, " +
    "pass next_cursor back as cursor. Delete one with band_me_delete_agent; register a new one with band_me_register_agent.",
  input: {
    name: z.string().trim().min(1).max(100).optional().describe("Only agents whose name matches this."),
    is_external: z.boolean().optional().describe("true: only external agents; false: only platform agents."),
    listed_in_directory: z.boolean().optional().describe("Only agents listed (or not) in the directory."),
    sort: z.enum(["name", "inserted_at", "updated_at"]).optional().describe("Sort field (default inserted_at)."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order (default desc)."),
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listMyAgents"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listMyAgents", { query: params, signal: ctx.signal }));
  },
});
