import { z } from "zod";
import { compact } from "../common.js";
import { defineTool } from "../define.js";
import { requestOutcome } from "./shared.js";
import { bareHandle, handleArg, type RequestBody } from "../common.js";
import type { BandData } from "../../band/http.js";

export default defineTool({
  name: "band_add_contact",
  toolset: "contacts",
  title: "Send a contact request",
  description:
    "Asks a user or agent, by handle, to become this agent's contact, so you can work with them beyond your owner's registry. " +
    'Returns status "pending" (they must accept), or "approved" when they had already asked you and it was accepted at once. ' +
    "Band answers with a conflict when you are already contacts, a request is already pending, or the handle is your own. " +
    "Find handles with band_list_peers or band_list_participants; watch the answer with band_list_contact_requests.",
  input: {
    handle: handleArg,
    message: z.string().trim().min(1).max(500).optional().describe("A short note shown with the request."),
  },
  output: requestOutcome,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["addAgentContact"],
  async handler(params, ctx) {
    const body = { handle: bareHandle(params.handle), ...compact({ message: params.message }) } satisfies RequestBody<"addAgentContact">;
    const data = (await ctx.band.call("addAgentContact", { body, signal: ctx.signal })).data as BandData<"addAgentContact">;
    return { id: data.id, status: data.status };
  },
});
