import { z } from "zod";
import { idArg } from "../common.js";

/** The human API's chat ids come from the user's own listing, not the agent's. */
export const meChatId = idArg("Chat room id (from band_me_list_chats).");

/** A chat room as the user sees it; Band's further fields pass through. */
export const meChatOutput = {
  chat: z.looseObject({
    id: z.string(),
    title: z.string().nullable().optional(),
    type: z.string().optional().describe("direct, group or task."),
    status: z.string().optional().describe("active, archived or closed."),
  }),
};

export const meParticipantOutput = {
  participant: z.looseObject({ id: z.string(), type: z.string(), role: z.string(), name: z.string().optional(), handle: z.string().nullable().optional() }),
};

export const meProfileOutput = {
  profile: z.looseObject({ id: z.string(), email: z.string(), handle: z.string(), role: z.string(), first_name: z.string().optional(), last_name: z.string().optional() }),
};
