import { z } from "zod";
import { compact } from "../common.js";
import { defineTool } from "../define.js";
import { requireSome, type RequestBody } from "../common.js";
import { meProfileOutput } from "./shared.js";

export default defineTool({
  name: "band_me_update_profile",
  toolset: "human",
  title: "Update my user profile (human)",
  description:
    "Changes the human user's first and/or last name (at least one); only what you send changes. Returns the updated profile, as band_me_get_profile does.",
  input: {
    first_name: z.string().trim().min(1).max(100).optional().describe("New first name."),
    last_name: z.string().trim().min(1).max(100).optional().describe("New last name."),
  },
  output: meProfileOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["updateMyProfile"],
  async handler(params, ctx) {
    requireSome("band_me_update_profile", params, ["first_name", "last_name"]);
    const body = { user: compact(params) } satisfies RequestBody<"updateMyProfile">;
    const { data } = await ctx.band.call("updateMyProfile", { body, signal: ctx.signal });
    return { profile: data };
  },
});
