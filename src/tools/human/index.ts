import type { ToolDefinition } from "../define.js";

export const humanTools: ToolDefinition[] = [];
