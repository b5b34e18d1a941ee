import { z } from "zod";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_get_me",
  toolset: "chats",
  title: "Get my Band agent profile",
  description:
    "Your own Band profile: id, name, handle, description, tags.",
  input: {},
  output: {
    id: z.string(),
    name: z.string(),
    handle: z.string(),
    description: z.string().nullable().optional(),
    owner_uuid: z.string().optional(),
    tags: z.array(z.string()).optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getAgentMe"],
  async handler(_params, ctx) {
    const { data } = await ctx.band.call("getAgentMe", { signal: ctx.signal });
    return data;
  },
});
