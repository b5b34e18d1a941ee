import { listOutput, pageInput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { sentStatusFilter } from "../contacts/shared.js";

export default defineTool({
  name: "band_me_list_sent_contact_requests",
  toolset: "human",
  title: "List contact requests I sent (human)",
  description:
    "Lists the contact requests the user sent: request id, recipient, message, status and when; status narrows it (default all). " +
    "Withdraw a pending one with band_me_cancel_contact_request. Page-numbered: while has_more is true, call again with the next page.",
  input: {
    status: sentStatusFilter.optional().describe("Only requests in this status (default all)."),
    ...pageInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listSentContactRequests"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listSentContactRequests", { query: params, signal: ctx.signal }));
  },
});
