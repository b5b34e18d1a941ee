import type { ToolDefinition } from "../define.js";

export const messagesTools: ToolDefinition[] = [];
