import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "./shared.js";

export default defineTool({
  name: "band_supersede_memory",
  toolset: "memories",
  title: "Mark a memory superseded",
  description:
    "Marks a memory this agent stored as superseded: outdated or wrong. It stays for the audit trail but leaves normal searches. " +
    "Store the corrected fact with band_create_memory (listing the old id in references). Only the agent that stored a memory may supersede it, " +
    "and it cannot be undone. Find memory ids with band_list_memories.",
  input: { memory_id: memoryId("band_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["supersedeAgentMemory"],
  idSources: { memory_id: "band_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("supersedeAgentMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"supersedeAgentMemory"> };
  },
});
