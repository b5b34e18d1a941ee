import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "./shared.js";

export default defineTool({
  name: "band_get_memory",
  toolset: "memories",
  title: "Get a memory",
  description:
    "Returns one memory in full: content, system, type, segment, scope, status, subject_id, the thought recorded with it and its metadata (tags, references). " +
    "Find memory ids with band_list_memories.",
  input: { memory_id: memoryId("band_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getAgentMemory"],
  idSources: { memory_id: "band_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("getAgentMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"getAgentMemory"> };
  },
});
