import type { ToolDefinition } from "../define.js";

export const inboxTools: ToolDefinition[] = [];
