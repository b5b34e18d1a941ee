import { z } from "zod";

/**
 * Payloads of the agent socket's events (PROTOCOL.md §5.5). Only what we use is required; everything else
 * passes through, so Band adding fields never breaks us. A payload that fails is logged and skipped.
 */

const mention = z.looseObject({ id: z.string(), handle: z.string().nullish(), name: z.string().nullish(), username: z.string().nullish() });

export const messageCreated = z.looseObject({
  id: z.string().min(1),
  content: z.string(),
  message_type: z.string(),
  sender_id: z.string(),
  sender_type: z.string(),
  sender_name: z.string().nullish(),
  chat_room_id: z.string().nullish(),
  metadata: z.looseObject({ mentions: z.array(mention).nullish() }).nullish(),
  inserted_at: z.string(),
  updated_at: z.string().nullish(),
});
export type BandMessage = z.infer<typeof messageCreated>;

export const roomAdded = z.looseObject({ id: z.string().min(1), title: z.string().nullish() });
export const roomGone = z.looseObject({ id: z.string().min(1) });

export const participantAdded = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  type: z.string(),
  handle: z.string().nullish(),
  role: z.string().optional(),
});
export const participantRemoved = z.looseObject({ id: z.string().min(1) });

export const supersede = z.looseObject({ reason: z.string().optional(), message: z.string().optional() });
