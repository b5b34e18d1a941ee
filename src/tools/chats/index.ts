import type { ToolDefinition } from "../define.js";
import band_get_me from "./band_get_me.js";

export const chatsTools: ToolDefinition[] = [band_get_me];
