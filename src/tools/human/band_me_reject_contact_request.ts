import { defineTool } from "../define.js";
import { requestOutcome } from "../contacts/shared.js";
import { idArg } from "../common.js";

export default defineTool({
  name: "band_me_reject_contact_request",
  toolset: "human",
  title: "Reject a contact request (human)",
  description:
    "Rejects a contact request the user received; this is final. Band answers with a conflict when the request was already resolved. " +
    "Find pending requests and their ids with band_me_list_received_contact_requests.",
  input: { request_id: idArg("Contact request id (from band_me_list_received_contact_requests).") },
  output: requestOutcome,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["rejectContactRequest"],
  idSources: { request_id: "band_me_list_received_contact_requests" },
  async handler({ request_id }, ctx) {
    const { data } = await ctx.band.call("rejectContactRequest", { path: { id: request_id }, signal: ctx.signal });
    return { id: data.id, status: data.status };
  },
});
