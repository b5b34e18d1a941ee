import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId } from "../common.js";
import { findId } from "../identify.js";
import { participantOutput } from "../shapes.js";

export default defineTool({
  name: "band_remove_participant",
  toolset: "participants",
  title: "Remove someone from a Band chat",
  description:
    "Removes someone from a chat room (you must be its owner or admin) and returns who was removed.",
  input: {
    chat_id: chatId,
    participant: z.string().trim().min(1).max(200).describe("Id, handle (@ optional) or name, from band_list_participants."),
  },
  output: participantOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["removeAgentChatParticipant"],
  idSources: { chat_id: "band_list_chats", participant: "band_list_participants" },
  async handler({ chat_id, participant }, ctx) {
    const id = findId(participant, await ctx.participants.list(chat_id, ctx.signal)) ?? participant;
    const { data } = await ctx.band.call("removeAgentChatParticipant", { path: { chat_id, id }, signal: ctx.signal });
    ctx.participants.remove(chat_id, id);
    return data;
  },
});
