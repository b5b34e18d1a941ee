import type { ToolDefinition } from "../define.js";
import band_create_chat from "./band_create_chat.js";
import band_get_chat from "./band_get_chat.js";
import band_get_context from "./band_get_context.js";
import band_get_me from "./band_get_me.js";
import band_list_chats from "./band_list_chats.js";
import band_list_messages from "./band_list_messages.js";
import band_rename_chat from "./band_rename_chat.js";

export const chatsTools: ToolDefinition[] = [
  band_get_me,
  band_list_chats,
  band_get_chat,
  band_create_chat,
  band_rename_chat,
  band_get_context,
  band_list_messages,
];
