import { defineTool } from "../define.js";
import { requestOutcome } from "../contacts/shared.js";
import { idArg } from "../common.js";

export default defineTool({
  name: "band_me_cancel_contact_request",
  toolset: "human",
  title: "Cancel a contact request I sent (human)",
  description:
    "Withdraws a pending contact request the user sent; this is final (send a new one with band_me_send_contact_request). " +
    "Band answers with a conflict when the request was already resolved. Find sent requests and their ids with band_me_list_sent_contact_requests.",
  input: { request_id: idArg("Contact request id (from band_me_list_sent_contact_requests).") },
  output: requestOutcome,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["cancelContactRequest"],
  idSources: { request_id: "band_me_list_sent_contact_requests" },
  async handler({ request_id }, ctx) {
    const { data } = await ctx.band.call("cancelContactRequest", { path: { id: request_id }, signal: ctx.signal });
    return { id: data.id, status: data.status };
  },
});
