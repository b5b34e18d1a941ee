import type { ToolDefinition } from "../define.js";

export const memoriesTools: ToolDefinition[] = [];
