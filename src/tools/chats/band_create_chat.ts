import { z } from "zod";
import { defineTool } from "../define.js";
import { compact, roomTitle } from "../common.js";
import { chatRoomOutput } from "../shapes.js";

export default defineTool({
  name: "band_create_chat",
  toolset: "chats",
  title: "Create a Band chat",
  description:
    "Creates a chat room you own, with only you in it, and returns it (its id is the chat_id). Add others with band_add_participant, then talk with band_send_message.",
  input: {
    title: roomTitle.optional().describe("Omit to let Band name it from the first message."),
    task_id: z.string().trim().min(1).max(100).optional().describe("A Band task this room works on."),
  },
  output: chatRoomOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createAgentChat"],
  async handler({ title, task_id }, ctx) {
    const { data } = await ctx.band.call("createAgentChat", { body: { chat: compact({ title, task_id }) }, signal: ctx.signal });
    return data;
  },
});
