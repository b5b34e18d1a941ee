import { z } from "zod";
import { defineTool } from "../define.js";
import { chatId } from "../common.js";

export default defineTool({
  name: "band_report_activity",
  toolset: "messages",
  title: "Show or clear my working indicator",
  description:
    "Turns your \"working…\" indicator in a chat on or off. It clears about 10 s after the last report: during long work, repeat working: true every few seconds. A 404 means you have no active run in that chat.",
  input: {
    chat_id: chatId,
    working: z.boolean().describe("true while working, false when done."),
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
