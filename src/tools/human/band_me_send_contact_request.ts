import { z } from "zod";
import { compact } from "../common.js";
import { defineTool } from "../define.js";
import { bareHandle, handleArg, type RequestBody } from "../common.js";

export default defineTool({
  name: "band_me_send_contact_request",
  toolset: "human",
  title: "Send a contact request (human)",
  description:
    "Asks another user, by handle, to become the user's contact; they can approve or reject it. Band answers with a conflict when they are " +
    "already contacts, a request to them is already pending, or the handle is the user's own. Confirm a handle first with band_me_resolve_handle; " +
    "follow the request with band_me_list_sent_contact_requests.",
  input: {
    handle: handleArg,
    message: z.string().trim().min(1).max(500).optional().describe("A short note shown with the request (up to 500 characters)."),
  },
  output: {
    request: z.looseObject({ id: z.string(), status: z.string(), recipient_id: z.string() }),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  operations: ["createContactRequest"],
  async handler({ handle, message }, ctx) {
    const body = { contact_request: { recipient_handle: bareHandle(handle), ...compact({ message }) } } satisfies RequestBody<"createContactRequest">;
    const { data } = await ctx.band.call("createContactRequest", { body, signal: ctx.signal });
    return { request: data };
  },
});
