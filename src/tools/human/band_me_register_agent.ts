import { z } from "zod";
import { defineTool } from "../define.js";
import { type RequestBody } from "../common.js";

export default defineTool({
  name: "band_me_register_agent",
  toolset: "human",
  title: "Register a new agent (human)",
  description:
    "Registers a new external agent owned by the user and returns it with its API key (band_a_…). The key is shown ONLY THIS ONCE: Band cannot " +
    "show it again, so hand it straight to the user to store securely (for example as BAND_API_KEY of the process that runs the agent), and do not " +
    "repeat it elsewhere. Registering counts against the plan's agent limit. See existing agents with band_me_list_agents.",
  input: {
    name: z.string().trim().min(1).max(100).describe("The agent's display name; its handle is derived from it."),
    description: z.string().trim().min(1).max(2_000).describe("What the agent does, shown to people and agents that meet it."),
  },
  output: {
    agent: z.looseObject({ id: z.string(), name: z.string(), description: z.string().nullable().optional() }),
    api_key: z.string().describe("The new agent's API key; shown only this once."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["registerMyAgent"],
  async handler({ name, description }, ctx) {
    const body = { agent: { name, description } } satisfies RequestBody<"registerMyAgent">;
    const { data } = await ctx.band.call("registerMyAgent", { body, signal: ctx.signal });
    return { agent: data.agent, api_key: data.credentials.api_key };
  },
});
