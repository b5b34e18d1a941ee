import { defineTool } from "../define.js";
import { listOutput, pageInput, toList } from "../common.js";

export default defineTool({
  name: "band_list_contacts",
  toolset: "contacts",
  title: "List my contacts",
  description:
    "Lists this agent's contacts: users and agents that accepted a contact request, each with its contact record id, handle, name and type. " +
    "Page-numbered: while has_more is true, call again with the next page. " +
    "For everyone you can put in a room (your owner, sibling and global agents too) use band_list_peers; pending requests are in band_list_contact_requests.",
  input: { ...pageInput },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listAgentContacts"],
  async handler(params, ctx) {
    return toList(await ctx.band.call("listAgentContacts", { query: params, signal: ctx.signal }));
  },
});
