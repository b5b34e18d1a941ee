import { listOutput, pageInput, toList } from "../common.js";
import { defineTool } from "../define.js";

export default defineTool({
  name: "band_me_list_contacts",
  toolset: "human",
  title: "List my contacts (human)",
  description:
    "Lists the user's contacts: each has a contact record id, the contact's own id (contact_id), contact_type (User or Agent) and, for users, " +
    "their handle and name. Page-numbered: while has_more is true, call again with the next page. " +
    "Pending requests are in band_me_list_received_contact_requests and band_me_list_sent_contact_requests.",
  input: { ...pageInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listMyContacts"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listMyContacts", { query: params, signal: ctx.signal }));
  },
});
