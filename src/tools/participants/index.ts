import type { ToolDefinition } from "../define.js";

export const participantsTools: ToolDefinition[] = [];
