import { listOutput, pageInput, toList } from "../common.js";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_me_list_received_contact_requests",
  toolset: "human",
  title: "List contact requests I received (human)",
  description:
    "Lists the contact requests others sent the user: request id, requester, message, status and when. " +
    "Answer one with band_me_approve_contact_request or band_me_reject_contact_request. " +
    "Page-numbered: while has_more is true, call again with the next page.",
  input: { ...pageInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listReceivedContactRequests"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listReceivedContactRequests", { query: params, signal: ctx.signal }));
  },
});
