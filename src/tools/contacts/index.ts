import type { ToolDefinition } from "../define.js";
import band_add_contact from "./band_add_contact.js";
import band_list_contact_requests from "./band_list_contact_requests.js";
import band_list_contacts from "./band_list_contacts.js";
import band_remove_contact from "./band_remove_contact.js";
import band_respond_contact_request from "./band_respond_contact_request.js";

export const contactsTools: ToolDefinition[] = [
  band_list_contacts,
  band_add_contact,
  band_remove_contact,
  band_list_contact_requests,
  band_respond_contact_request,
];
