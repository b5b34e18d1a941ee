import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId } from "../common.js";

export default defineTool({
  name: "band_report_activity",
  toolset: "messages",
  title: "Show or clear my working indicator",
  description:
    "Turns this agent's \"working…\" indicator in a Band chat on (working: true) or off (working: false), so people see you are busy on their request. Band clears it by itself about 10 seconds after the last report, so during long work report working: true every few seconds, and working: false when done. Band answers 404 when you have no active run in that chat. Find chat ids with band_list_chats.",
  input: {
    chat_id: chatId,
    working: z.boolean().describe("true while working on something in this chat, false when finished."),
  },
  output: { working: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["reportAgentChatActivity"],
  idSources: { chat_id: "band_list_chats" },
  async handler({ chat_id, working }, ctx) {
    // Reporting the same state twice changes nothing, so Band's transient 503s are safe to retry.
    const { data } = await ctx.band.call("reportAgentChatActivity", { path: { chat_id }, body: { working }, idempotent: true, signal: ctx.signal });
    return data;
  },
});
