import { z } from "zod";
import { cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { meChatId } from "./shared.js";

export default defineTool({
  name: "band_me_list_participants",
  toolset: "human",
  title: "List a chat room's participants (human)",
  description:
    "Lists who is in one of the user's chat rooms: id, handle, name, type (User or Agent), role (owner, admin, member) and status. " +
    "Use the handles or ids as mentions in band_me_send_message and the ids in band_me_remove_participant. participant_type keeps only users or agents. " +
    "Cursor-paged: while has_more is true, pass next_cursor back as cursor. Find chat ids with band_me_list_chats.",
  input: {
    chat_id: meChatId,
    participant_type: z.enum(["User", "Agent"]).optional().describe("Only users or only agents."),
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listMyChatParticipants"],
  idSources: { chat_id: "band_me_list_chats" },
  async handler({ chat_id, ...query }, ctx) {
    return toList(await ctx.band.call("listMyChatParticipants", { path: { chat_id }, query, signal: ctx.signal }));
  },
});
