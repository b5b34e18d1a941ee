import type { ToolDefinition } from "../define.js";
import band_add_participant from "./band_add_participant.js";
import band_list_participants from "./band_list_participants.js";
import band_list_peers from "./band_list_peers.js";
import band_remove_participant from "./band_remove_participant.js";

export const participantsTools: ToolDefinition[] = [band_list_participants, band_add_participant, band_remove_participant, band_list_peers];
