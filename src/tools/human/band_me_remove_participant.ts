import { defineTool } from "../define.js";
import { idArg } from "../common.js";
import { meChatId, meParticipantOutput } from "./shared.js";

export default defineTool({
  name: "band_me_remove_participant",
  toolset: "human",
  title: "Remove someone from a chat room (human)",
  description:
    "Removes a user or agent from one of the user's chat rooms; they stop seeing its new messages. Needs owner or admin rights in the room, " +
    "and the room's only owner cannot be removed. Find participant ids with band_me_list_participants and chat ids with band_me_list_chats.",
  input: {
    chat_id: meChatId,
    participant_id: idArg("Id of the participant to remove (from band_me_list_participants)."),
  },
  output: meParticipantOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["removeMyChatParticipant"],
  idSources: { chat_id: "band_me_list_chats", participant_id: "band_me_list_participants" },
  async handler({ chat_id, participant_id }, ctx) {
    const { data } = await ctx.band.call("removeMyChatParticipant", { path: { chat_id, id: participant_id }, signal: ctx.signal });
    return { participant: data };
  },
});
