import { z } from "zod";
import { defineTool } from "../define.js";
import { contactTarget } from "../contacts/shared.js";
import { handleArg, idArg, type RequestBody } from "../common.js";

export default defineTool({
  name: "band_me_remove_contact",
  toolset: "human",
  title: "Remove a contact (human)",
  description:
    "Removes one of the user's contacts in both directions. Name it by handle or by contact_id, the contact record id from band_me_list_contacts " +
    "(at least one is required). Reconnecting takes a new request (band_me_send_contact_request).",
  input: {
    handle: handleArg.optional(),
    contact_id: idArg("Contact record id (the id field from band_me_list_contacts).").optional(),
  },
  output: { status: z.string().describe('"removed" on success.') },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["removeMyContact"],
  idSources: { contact_id: "band_me_list_contacts", handle: "band_me_list_contacts" },
  async handler(params, ctx) {
    const body = contactTarget("band_me_remove_contact", params) satisfies RequestBody<"removeMyContact">;
    const { data } = await ctx.band.call("removeMyContact", { body, signal: ctx.signal });
    return { status: data.status };
  },
});
