import { z } from "zod";
import { defineTool } from "../define.js";
import { bareHandle, type RequestBody } from "../common.js";
import { meChatId } from "./shared.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Band resolves handles against the room itself, so ids and handles pass straight through. */
const toMention = (ref: string) => (UUID.test(ref.trim()) ? { id: ref.trim() } : { handle: bareHandle(ref) });

export default defineTool({
  name: "band_me_send_message",
  toolset: "human",
  title: "Send a message as the user (human)",
  description:
    "Posts a text message in a chat room AS THE HUMAN USER (not as the agent; for that use band_send_message). Band delivers it only to the " +
    "participants it mentions, so mentions needs at least one: each a handle (\"@\" optional) or a participant id, of someone in the room " +
    "(see band_me_list_participants). You need not write the @names in content: Band adds them. Find chat ids with band_me_list_chats.",
  input: {
    chat_id: meChatId,
    content: z.string().trim().min(1).max(16_384).describe("The message text."),
    mentions: z
      .array(z.string().trim().min(1).max(200))
      .min(1)
      .max(50)
      .describe("Who should receive it: handles (\"@\" optional) or participant ids, from band_me_list_participants."),
  },
  output: {
    message_id: z.string(),
    recipients: z.array(z.looseObject({ id: z.string(), handle: z.string(), name: z.string().optional() })).describe("Who Band delivered it to."),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["sendMyChatMessage"],
  idSources: { chat_id: "band_me_list_chats" },
  async handler({ chat_id, content, mentions }, ctx) {
    const body = { message: { content, mentions: mentions.map(toMention) } } satisfies RequestBody<"sendMyChatMessage">;
    const { data } = await ctx.band.call("sendMyChatMessage", { path: { chat_id }, body, signal: ctx.signal });
    return { message_id: data.id, recipients: data.recipients };
  },
});
