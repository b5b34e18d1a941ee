import { z } from "zod";
import { defineTool } from "../define.js";
import { compact } from "../common.js";
import { chatRoomOutput } from "../shapes.js";

export default defineTool({
  name: "band_create_chat",
  toolset: "chats",
  title: "Create a Band chat",
  description:
    "Creates a new Band chat room with this agent as its owner and returns it (its id is the chat_id for the other tools). The room starts with only you in it: add people or agents with band_add_participant (find them with band_list_peers), then talk with band_send_message. Without a title, Band names the room from its first message.",
  input: {
    title: z.string().trim().min(1).max(120).optional().describe("Room title, 1-120 characters, no line breaks. Omit to let Band name it."),
    task_id: z.string().trim().min(1).max(100).optional().describe("Id of a Band task this room works on, if any."),
  },
  output: chatRoomOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createAgentChat"],
  async handler({ title, task_id }, ctx) {
    const { data } = await ctx.band.call("createAgentChat", { body: { chat: compact({ title, task_id }) }, signal: ctx.signal });
    return data;
  },
});
