import { z } from "zod";
import { cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { idArg } from "../common.js";
import { memoryFilters } from "./shared.js";

export default defineTool({
  name: "band_list_memories",
  toolset: "memories",
  title: "Search memories",
  description:
    "Lists and searches the memories this agent can read: by default those about subject_id plus organisation-wide ones. " +
    "Use it to recall what is known about a user or agent before answering: pass their id as subject_id (a sender id from band_get_inbox, " +
    "or an id from band_list_participants or band_list_peers), and content_query for full-text search. Superseded and archived memories appear only " +
    "with status. Cursor-paged: while has_more is true, pass next_cursor back as cursor. Read one in full with band_get_memory.",
  input: {
    subject_id: idArg("Id of the user or agent the memories are about (from band_get_inbox, band_list_participants or band_list_peers).").optional(),
    scope: z.enum(["subject", "organization", "all"]).optional().describe("subject: about subject_id; organization: shared org-wide; all: both (the default)."),
    ...memoryFilters,
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentMemories"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listAgentMemories", { query: params, signal: ctx.signal }));
  },
});
