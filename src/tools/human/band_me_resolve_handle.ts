import { z } from "zod";
import { defineTool } from "../define.js";
import { bareHandle, handleArg, type RequestBody } from "../common.js";

export default defineTool({
  name: "band_me_resolve_handle",
  toolset: "human",
  title: "Look up a handle (human)",
  description:
    "Checks that a handle exists on Band and says who it is (name, type User or Agent), without changing anything. " +
    "Use it before band_me_send_contact_request to confirm the right person or agent; an unknown handle is reported as not found.",
  input: { handle: handleArg },
  output: {
    handle: z.string().nullable().optional(),
    name: z.string().nullable(),
    type: z.string().describe("User or Agent."),
  },
  // A POST on Band's side, but it only looks the handle up.
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["resolveHandle"],
  async handler({ handle }, ctx) {
    const body = { handle: bareHandle(handle) } satisfies RequestBody<"resolveHandle">;
    const { data } = await ctx.band.call("resolveHandle", { body, signal: ctx.signal, idempotent: true });
    return { handle: data.handle, name: data.name, type: data.type };
  },
});
