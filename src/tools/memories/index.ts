import type { ToolDefinition } from "../define.js";
import band_archive_memory from "./band_archive_memory.js";
import band_create_memory from "./band_create_memory.js";
import band_get_memory from "./band_get_memory.js";
import band_list_memories from "./band_list_memories.js";
import band_supersede_memory from "./band_supersede_memory.js";

export const memoriesTools: ToolDefinition[] = [
  band_list_memories,
  band_get_memory,
  band_create_memory,
  band_supersede_memory,
  band_archive_memory,
];
