import type { ToolDefinition } from "../define.js";

export const contactsTools: ToolDefinition[] = [];
