import { z } from "zod";
import { defineTool } from "../define.js";
import { contactTarget } from "./shared.js";
import { handleArg, idArg, type RequestBody } from "../common.js";
import type { BandData } from "../../band/http.js";

export default defineTool({
  name: "band_remove_contact",
  toolset: "contacts",
  title: "Remove a contact",
  description:
    "Removes a contact in both directions: neither side keeps the other in its contact list. Name the contact by handle or by contact_id " +
    "(the contact record id from band_list_contacts); at least one is required. To reach them again you would have to send a new request with band_add_contact.",
  input: {
    handle: handleArg.optional(),
    contact_id: idArg("Contact record id (the id field from band_list_contacts).").optional(),
  },
  output: { status: z.string().describe('"removed" on success.') },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["removeAgentContact"],
  idSources: { contact_id: "band_list_contacts", handle: "band_list_contacts" },
  async handler(params, ctx) {
    const body = contactTarget("band_remove_contact", params) satisfies RequestBody<"removeAgentContact">;
    const data = (await ctx.band.call("removeAgentContact", { body, signal: ctx.signal })).data as BandData<"removeAgentContact">;
    return { status: data.status };
  },
});
