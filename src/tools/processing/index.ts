import type { ToolDefinition } from "../define.js";

export const processingTools: ToolDefinition[] = [];
