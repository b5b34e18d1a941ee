import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "./shared.js";

export default defineTool({
  name: "band_archive_memory",
  toolset: "memories",
  title: "Archive a memory",
  description:
    "Archives a memory this agent stored that is still true but no longer useful, taking it out of normal searches. " +
    "For a memory that is wrong or outdated use band_supersede_memory instead. Only the agent that stored a memory may archive it, " +
    "and only the human it is about can restore it. Find memory ids with band_list_memories.",
  input: { memory_id: memoryId("band_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["archiveAgentMemory"],
  idSources: { memory_id: "band_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("archiveAgentMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"archiveAgentMemory"> };
  },
});
