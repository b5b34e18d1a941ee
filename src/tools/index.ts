import type { Toolset } from "../config.js";
import { chatsTools } from "./chats/index.js";
import { contactsTools } from "./contacts/index.js";
import type { ToolDefinition } from "./define.js";
import { humanTools } from "./human/index.js";
import { inboxTools } from "./inbox/index.js";
import { memoriesTools } from "./memories/index.js";
import { messagesTools } from "./messages/index.js";
import { participantsTools } from "./participants/index.js";
import { processingTools } from "./processing/index.js";
import { tasksTools } from "./tasks/index.js";

/** Every tool, each listed once. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...inboxTools,
  ...chatsTools,
  ...messagesTools,
  ...participantsTools,
  ...processingTools,
  ...contactsTools,
  ...memoriesTools,
  ...tasksTools,
  ...humanTools,
];

export interface Surface {
  toolsets: readonly Toolset[];
  readOnly: boolean;
  live: boolean;
  hasAgentKey: boolean;
  hasUserKey: boolean;
}

/** The tools a configuration exposes. Read-only mode is derived from readOnlyHint, never from a second list. */
export function selectTools(surface: Surface, tools: readonly ToolDefinition[] = ALL_TOOLS): ToolDefinition[] {
  return tools.filter((tool) => {
    if (!surface.toolsets.includes(tool.toolset)) return false;
    if (surface.readOnly && !tool.annotations.readOnlyHint) return false;
    if (tool.needsLive && !surface.live) return false;
    return tool.toolset === "human" ? surface.hasUserKey : surface.hasAgentKey;
  });
}
