import { z } from "zod";
import { cursorInput, listOutput, toList } from "../common.js";
import { defineTool } from "../define.js";
import { memoryFilters } from "../memories/shared.js";
import { meChatId } from "./shared.js";

export default defineTool({
  name: "band_me_list_memories",
  toolset: "human",
  title: "Search memories about me (human)",
  description:
    "Lists and searches the memories the user may see: those any agent in the organisation stored about the user, organisation-wide ones, and " +
    "those of rooms the user is in. scope narrows it (about_me, organization, room, all); chat_id keeps one room's (ids from band_me_list_chats); " +
    "content_query is full-text search; superseded and archived memories appear only with status. Cursor-paged: while has_more is true, pass " +
    "next_cursor back as cursor. Manage one with band_me_get_memory, band_me_archive_memory, band_me_supersede_memory, band_me_restore_memory or band_me_delete_memory.",
  input: {
    scope: z.enum(["about_me", "organization", "room", "all"]).optional().describe("Which memories: about the user, org-wide, room-level, or all."),
    chat_id: meChatId.optional().describe("Only memories of this chat room (from band_me_list_chats)."),
    ...memoryFilters,
    ...cursorInput,
  },
  output: listOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["listUserMemories"],
  idSources: { chat_id: "band_me_list_chats" },
  async handler({ chat_id, ...query }, ctx) {
    return toList(await ctx.band.call("listUserMemories", { query: { ...query, chat_room_id: chat_id }, signal: ctx.signal }));
  },
});
