import type { ToolDefinition } from "../define.js";
import band_report_activity from "./band_report_activity.js";
import band_send_and_wait from "./band_send_and_wait.js";
import band_send_event from "./band_send_event.js";
import band_send_message from "./band_send_message.js";

export const messagesTools: ToolDefinition[] = [band_send_message, band_send_and_wait, band_send_event, band_report_activity];
