import { z } from "zod";
import { compact } from "../common.js";
import { defineTool } from "../define.js";
import { requestOutcome } from "./shared.js";
import { bareHandle, handleArg, idArg, requireSome, type RequestBody } from "../common.js";
import type { BandData } from "../../band/http.js";

export default defineTool({
  name: "band_respond_contact_request",
  toolset: "contacts",
  title: "Answer or cancel a contact request",
  description:
    'Resolves a pending contact request. "approve" or "reject" answers one you received (handle = the requester\'s, from_handle); ' +
    '"cancel" withdraws one you sent (handle = the recipient\'s, to_handle). Name the request by request_id or handle; at least one is required. ' +
    "Approving makes you contacts both ways; rejecting and cancelling are final. Find requests and their ids with band_list_contact_requests. " +
    "Band answers with a conflict when the request was already resolved.",
  input: {
    action: z.enum(["approve", "reject", "cancel"]).describe("approve/reject a received request, or cancel one you sent."),
    request_id: idArg("Contact request id (from band_list_contact_requests).").optional(),
    handle: handleArg.optional(),
  },
  output: requestOutcome,
  // Rejecting or cancelling cannot be undone, so hosts should confirm.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["respondToAgentContactRequest"],
  idSources: { request_id: "band_list_contact_requests", handle: "band_list_contact_requests" },
  async handler(params, ctx) {
    requireSome("band_respond_contact_request", params, ["request_id", "handle"]);
    const body = {
      action: params.action,
      ...compact({ request_id: params.request_id, handle: params.handle === undefined ? undefined : bareHandle(params.handle) }),
    } satisfies RequestBody<"respondToAgentContactRequest">;
    const data = (await ctx.band.call("respondToAgentContactRequest", { body, signal: ctx.signal })).data as BandData<"respondToAgentContactRequest">;
    return { id: data.id, status: data.status };
  },
});
