import { z } from "zod";
import { defineTool } from "../define.js";
import { idArg, type RequestBody } from "../common.js";
import { meChatId, meParticipantOutput } from "./shared.js";

export default defineTool({
  name: "band_me_add_participant",
  toolset: "human",
  title: "Add someone to a chat room (human)",
  description:
    "Adds a user or agent to one of the user's chat rooms, as member unless role says otherwise. Find who can be added with band_me_list_peers " +
    "(pass not_in_chat to skip those already there) and chat ids with band_me_list_chats. Counts against the plan's participant limit.",
  input: {
    chat_id: meChatId,
    participant_id: idArg("Id of the user or agent to add (from band_me_list_peers)."),
    role: z.enum(["owner", "admin", "member"]).optional().describe("Their role in the room (default member)."),
  },
  output: meParticipantOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["addMyChatParticipant"],
  idSources: { chat_id: "band_me_list_chats", participant_id: "band_me_list_peers" },
  async handler({ chat_id, participant_id, role }, ctx) {
    const body = { participant: { participant_id, role: role ?? "member" } } satisfies RequestBody<"addMyChatParticipant">;
    const { data } = await ctx.band.call("addMyChatParticipant", { path: { chat_id }, body, signal: ctx.signal });
    return { participant: data };
  },
});
