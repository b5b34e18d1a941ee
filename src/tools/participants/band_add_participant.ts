import { z } from "zod";
import type { Participant } from "../../band/participants.js";
import { defineTool, type ToolContext } from "../define.js";
import { chatId, compact, toList } from "../common.js";
import { findId, isUuid } from "../identify.js";
import { participantOutput } from "../shapes.js";

export default defineTool({
  name: "band_add_participant",
  toolset: "participants",
  title: "Add someone to a Band chat",
  description:
    "Adds an agent or person to a chat room and returns the new participant.",
  input: {
    chat_id: chatId,
    participant: z.string().trim().min(1).max(200).describe("Id, handle (@ optional) or name, from band_list_peers."),
    role: z.enum(["owner", "admin", "member"]).optional().describe("Default member."),
  },
  output: participantOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["addAgentChatParticipant"],
  idSources: { chat_id: "band_list_chats", participant: "band_list_peers" },
  async handler({ chat_id, participant, role }, ctx) {
    const participant_id = isUuid(participant) ? participant : ((await findPeerId(ctx, participant)) ?? participant);
    const { data } = await ctx.band.call("addAgentChatParticipant", {
      path: { chat_id },
      body: { participant: compact({ participant_id, role }) },
      signal: ctx.signal,
    });
    ctx.participants.upsert(chat_id, data as Participant);
    return data;
  },
});

const MAX_PEER_PAGES = 10;

/** Looks a handle or name up among the peers; an unknown one is passed on for Band to refuse with a clear 404. */
async function findPeerId(ctx: ToolContext, wanted: string): Promise<string | undefined> {
  for (let page = 1; page <= MAX_PEER_PAGES; page++) {
    const peers = toList(await ctx.band.call("listAgentPeers", { query: { page, page_size: 100 }, signal: ctx.signal }));
    const id = findId(wanted, peers.items as unknown as Participant[]);
    if (id !== undefined || !peers.has_more) return id;
  }
  return undefined;
}
