import type { ToolDefinition } from "../define.js";

export const tasksTools: ToolDefinition[] = [];
