import type { ToolDefinition } from "../define.js";
import band_me_add_participant from "./band_me_add_participant.js";
import band_me_approve_contact_request from "./band_me_approve_contact_request.js";
import band_me_archive_memory from "./band_me_archive_memory.js";
import band_me_cancel_contact_request from "./band_me_cancel_contact_request.js";
import band_me_create_chat from "./band_me_create_chat.js";
import band_me_delete_agent from "./band_me_delete_agent.js";
import band_me_delete_memory from "./band_me_delete_memory.js";
import band_me_get_chat from "./band_me_get_chat.js";
import band_me_get_memory from "./band_me_get_memory.js";
import band_me_get_profile from "./band_me_get_profile.js";
import band_me_list_agents from "./band_me_list_agents.js";
import band_me_list_chats from "./band_me_list_chats.js";
import band_me_list_contacts from "./band_me_list_contacts.js";
import band_me_list_memories from "./band_me_list_memories.js";
import band_me_list_messages from "./band_me_list_messages.js";
import band_me_list_participants from "./band_me_list_participants.js";
import band_me_list_peers from "./band_me_list_peers.js";
import band_me_list_received_contact_requests from "./band_me_list_received_contact_requests.js";
import band_me_list_sent_contact_requests from "./band_me_list_sent_contact_requests.js";
import band_me_register_agent from "./band_me_register_agent.js";
import band_me_reject_contact_request from "./band_me_reject_contact_request.js";
import band_me_remove_contact from "./band_me_remove_contact.js";
import band_me_remove_participant from "./band_me_remove_participant.js";
import band_me_resolve_handle from "./band_me_resolve_handle.js";
import band_me_restore_memory from "./band_me_restore_memory.js";
import band_me_send_contact_request from "./band_me_send_contact_request.js";
import band_me_send_message from "./band_me_send_message.js";
import band_me_supersede_memory from "./band_me_supersede_memory.js";
import band_me_update_profile from "./band_me_update_profile.js";

export const humanTools: ToolDefinition[] = [
  band_me_get_profile,
  band_me_update_profile,
  band_me_list_agents,
  band_me_register_agent,
  band_me_delete_agent,
  band_me_list_peers,
  band_me_list_contacts,
  band_me_remove_contact,
  band_me_resolve_handle,
  band_me_list_received_contact_requests,
  band_me_list_sent_contact_requests,
  band_me_send_contact_request,
  band_me_approve_contact_request,
  band_me_reject_contact_request,
  band_me_cancel_contact_request,
  band_me_list_chats,
  band_me_get_chat,
  band_me_create_chat,
  band_me_list_messages,
  band_me_send_message,
  band_me_list_participants,
  band_me_add_participant,
  band_me_remove_participant,
  band_me_list_memories,
  band_me_get_memory,
  band_me_supersede_memory,
  band_me_archive_memory,
  band_me_restore_memory,
  band_me_delete_memory,
];
