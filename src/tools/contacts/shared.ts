import { z } from "zod";
import { bareHandle, compact, requireSome } from "../common.js";

/** The `{handle?, contact_id?}` body both contact-removal operations take. */
export function contactTarget(tool: string, params: { handle?: string; contact_id?: string }) {
  requireSome(tool, params, ["handle", "contact_id"]);
  return compact({ handle: params.handle === undefined ? undefined : bareHandle(params.handle), contact_id: params.contact_id });
}

export const sentStatusFilter = z.enum(["pending", "approved", "rejected", "cancelled", "all"]);

/** What a contact request resolves to: the request id and its status afterwards. */
export const requestOutcome = { id: z.string(), status: z.string().describe("The request's status now, e.g. pending, approved, rejected, cancelled.") };
