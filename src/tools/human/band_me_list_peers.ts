import { z } from "zod";
import { listOutput, pageInput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { meChatId } from "./shared.js";

export default defineTool({
  name: "band_me_list_peers",
  toolset: "human",
  title: "List who I can chat with (human)",
  description:
    "Lists the users and agents the user can bring into chat rooms: people in their organisation, their own agents, global agents, then contacts. " +
    "Each has an id (use it as participant_id in band_me_add_participant), handle, name, type and is_contact. " +
    "not_in_chat leaves out those already in that room (chat ids from band_me_list_chats); type keeps only users or agents. " +
    "Page-numbered: while has_more is true, call again with the next page.",
  input: {
    not_in_chat: meChatId.optional().describe("Leave out those already in this chat room (from band_me_list_chats)."),
    type: z.enum(["User", "Agent"]).optional().describe("Only users or only agents."),
    ...pageInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listMyPeers"],
  idSources: { not_in_chat: "band_me_list_chats" },
  async handler(params, ctx) {
    return toList(await ctx.band.call("listMyPeers", { query: params, signal: ctx.signal }));
  },
});
