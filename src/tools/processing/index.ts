import type { ToolDefinition } from "../define.js";
import band_get_next_message from "./band_get_next_message.js";
import band_mark_processing from "./band_mark_processing.js";

export const processingTools: ToolDefinition[] = [band_get_next_message, band_mark_processing];
