import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "../memories/shared.js";

export default defineTool({
  name: "band_me_get_memory",
  toolset: "human",
  title: "Get a memory (human)",
  description:
    "Returns one memory the user may see, in full: content, system, type, segment, scope, status, subject, source agent, room and the agent's " +
    "recorded thought. Find memory ids with band_me_list_memories.",
  input: { memory_id: memoryId("band_me_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["getUserMemory"],
  idSources: { memory_id: "band_me_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("getUserMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"getUserMemory"> };
  },
});
