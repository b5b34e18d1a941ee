import { z } from "zod";

/**
 * Output shapes of the Band objects the chat tools return. Only what the model relies on is required; every
 * other field is optional and nullable, so a Band that adds or omits fields never makes a result invalid.
 */
const text = z.string().nullable().optional();

export const chatRoomOutput = {
  id: z.string(),
  title: text,
  task_id: text,
  inserted_at: text,
  updated_at: text,
};

export const participantOutput = {
  id: z.string(),
  type: text,
  role: text,
  status: text,
  name: text,
  handle: text,
};

export const messageOutput = z.looseObject({
  id: z.string(),
  content: z.string(),
  message_type: text,
  sender_id: text,
  sender_type: text,
  sender_name: text,
  chat_room_id: text,
  inserted_at: text,
  updated_at: text,
});

export const messageStatusOutput = {
  id: z.string(),
  status: z.string(),
  attempt_number: z.number().int().optional(),
  success: z.boolean().optional(),
};
