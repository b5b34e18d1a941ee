import type { ToolDefinition } from "../define.js";
import band_get_inbox from "./band_get_inbox.js";
import band_mark_failed from "./band_mark_failed.js";
import band_mark_processed from "./band_mark_processed.js";
import band_status from "./band_status.js";
import band_wait_for_message from "./band_wait_for_message.js";

export const inboxTools: ToolDefinition[] = [band_wait_for_message, band_get_inbox, band_mark_processed, band_mark_failed, band_status];
