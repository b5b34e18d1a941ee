import { compact, roomTitle } from "../common.js";
import { defineTool } from "../define.js";
import { idArg, type RequestBody } from "../common.js";
import { meChatOutput } from "./shared.js";

export default defineTool({
  name: "band_me_create_chat",
  toolset: "human",
  title: "Create a chat room (human)",
  description:
    "Creates a chat room owned by the user, optionally titled, and returns it. Then bring people and agents in with band_me_add_participant " +
    "(ids from band_me_list_peers) and post with band_me_send_message. Counts against the plan's room limit.",
  input: {
    title: roomTitle.optional().describe("Room title (up to 120 characters, one line)."),
    task_id: idArg("Id of a task this room is about, if any.").optional(),
  },
  output: meChatOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createMyChatRoom"],
  async handler(params, ctx) {
    const body = { chat: compact(params) } satisfies RequestBody<"createMyChatRoom">;
    const { data } = await ctx.band.call("createMyChatRoom", { body, signal: ctx.signal });
    return { chat: data };
  },
});
