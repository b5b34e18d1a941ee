import { defineTool } from "../define.js";
import type { BandData } from "../../band/http.js";
import { memoryId, memoryOutput } from "../memories/shared.js";

export default defineTool({
  name: "band_me_supersede_memory",
  toolset: "human",
  title: "Mark a memory superseded (human)",
  description:
    "Marks a memory about the user as superseded: outdated or wrong. It stays for the record but leaves normal searches, and cannot be restored " +
    "(to hide a memory reversibly use band_me_archive_memory). Only memories about the user can be changed. Find memory ids with band_me_list_memories.",
  input: { memory_id: memoryId("band_me_list_memories") },
  output: memoryOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["supersedeUserMemory"],
  idSources: { memory_id: "band_me_list_memories" },
  async handler({ memory_id }, ctx) {
    const { data } = await ctx.band.call("supersedeUserMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory: data as BandData<"supersedeUserMemory"> };
  },
});
