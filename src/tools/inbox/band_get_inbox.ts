import { z } from "zod";
import { defineLiveTool } from "../define.js";
import { inboxMessage, presentMessage } from "./schemas.js";

/** A host that drops pushes can leave many in flight: the oldest are the ones to settle first. */
const IN_FLIGHT_SHOWN = 50;

export default defineLiveTool({
  name: "band_get_inbox",
  toolset: "inbox",
  title: "Peek at the Band inbox",
  description:
    "Peeks at the messages queued for you without claiming them (band_wait_for_message receives them), and lists those handed to you and not yet marked (in_flight).",
  input: {
    chat_id: z.string().trim().min(1).max(100).optional().describe("Only this chat."),
  },
  output: {
    messages: z.array(inboxMessage),
    pending: z.number().int(),
    in_flight: z.array(inboxMessage).describe(`Received or pushed to you, claimed, not yet marked (the oldest ${IN_FLIGHT_SHOWN}; band_status counts all): finish each with a reply or a mark.`),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  operations: [],
  async handler(params, ctx) {
    const { live } = ctx;
    const messages = live.peek(params.chat_id).map(presentMessage);
    return { messages, pending: messages.length, in_flight: live.inFlight(params.chat_id).slice(0, IN_FLIGHT_SHOWN).map(presentMessage) };
  },
});
