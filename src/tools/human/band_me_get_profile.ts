import { defineTool } from "../define.js";
import { meProfileOutput } from "./shared.js";

export default defineTool({
  name: "band_me_get_profile",
  toolset: "human",
  title: "Get my user profile (human)",
  description:
    "Returns the profile of the human user whose key is in BAND_USER_KEY: id, email, handle, role (user or admin), first and last name. " +
    "Use it to learn which user this server acts for in the band_me_* tools; the agent's own profile is band_get_me.",
  input: {},
  output: meProfileOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getMyProfile"],
  async handler(_params, ctx) {
    const { data } = await ctx.band.call("getMyProfile", { signal: ctx.signal });
    return { profile: data };
  },
});
