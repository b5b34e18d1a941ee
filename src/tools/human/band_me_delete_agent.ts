import { z } from "zod";
import { defineTool } from "../define.js";
import { idArg } from "../common.js";

export default defineTool({
  name: "band_me_delete_agent",
  toolset: "human",
  title: "Delete one of my agents (human)",
  description:
    "Permanently deletes an agent the user owns: revokes its API key, removes it from every room and deletes its memories. " +
    "Band refuses (422) when the agent has execution history, to protect audit trails; force also deletes that history, irreversibly, so use it " +
    "only when the user explicitly asked for it. Find agent ids with band_me_list_agents.",
  input: {
    agent_id: idArg("Agent id (from band_me_list_agents)."),
    force: z.boolean().optional().describe("Also delete the agent's execution history (irreversible). Default false."),
  },
  output: {
    agent: z.looseObject({ id: z.string(), name: z.string(), executions_deleted: z.number().int().describe("How many executions were deleted with it.") }),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["deleteMyAgent"],
  idSources: { agent_id: "band_me_list_agents" },
  async handler({ agent_id, force }, ctx) {
    const { data } = await ctx.band.call("deleteMyAgent", { path: { id: agent_id }, query: { force }, signal: ctx.signal });
    return { agent: data };
  },
});
