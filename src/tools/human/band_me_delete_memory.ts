import { z } from "zod";
import { defineTool } from "../define.js";
import { memoryId } from "../memories/shared.js";

export default defineTool({
  name: "band_me_delete_memory",
  toolset: "human",
  title: "Delete a memory permanently (human)",
  description:
    "Deletes a memory about the user for good; it cannot be recovered. To take a memory out of use but keep it for the record, prefer " +
    "band_me_archive_memory (reversible) or band_me_supersede_memory. Only memories about the user can be deleted. Find memory ids with band_me_list_memories.",
  input: { memory_id: memoryId("band_me_list_memories") },
  output: { memory_id: z.string(), deleted: z.literal(true) },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  operations: ["deleteUserMemory"],
  idSources: { memory_id: "band_me_list_memories" },
  async handler({ memory_id }, ctx) {
    await ctx.band.call("deleteUserMemory", { path: { id: memory_id }, signal: ctx.signal });
    return { memory_id, deleted: true as const };
  },
});
