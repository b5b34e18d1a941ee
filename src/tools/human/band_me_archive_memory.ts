import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "../memories/shared.js";

export default defineTool({
  name: "band_me_archive_memory",
  toolset: "human",
  title: "Archive a memory (human)",
  description:
    "Archives a memory about the user that is no longer useful, taking it out of normal searches; band_me_restore_memory brings it back. " +
    "Only memories about the user can be changed. Find memory ids with band_me_list_memories.",
  input: { memory_id: memoryId("band_me_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["archiveUserMemory"],
  idSources: { memory_id: "band_me_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("archiveUserMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"archiveUserMemory"> };
  },
});
