import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "../memories/shared.js";

export default defineTool({
  name: "band_me_restore_memory",
  toolset: "human",
  title: "Restore a memory (human)",
  description:
    "Makes an archived memory about the user active again, so agents find it in normal searches (superseded memories cannot be restored). " +
    "Find archived memories with band_me_list_memories and status archived.",
  input: { memory_id: memoryId("band_me_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  operations: ["restoreUserMemory"],
  idSources: { memory_id: "band_me_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("restoreUserMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"restoreUserMemory"> };
  },
});
