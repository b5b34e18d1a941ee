import { z } from "zod";
import type { operations } from "../../band/generated/openapi.js";
import type { OperationId } from "../../band/generated/operations.js";
import { compact } from "../common.js";
import { ToolError } from "../define.js";

/** The JSON body an operation takes, per the spec: `satisfies RequestBody<"op">` catches a wrong wrapper at compile time. */
export type RequestBody<Op extends OperationId> = NonNullable<operations[Op]["requestBody"]> extends { content: { "application/json": infer B } } ? B : never;

type SuccessBody<Op extends OperationId> = operations[Op]["responses"][Extract<keyof operations[Op]["responses"], 200 | 201>];
/**
 * The spec's `data` type for the operations whose response marks `data` optional (the agent contacts and all
 * memory operations), for which http.ts's BandData yields unknown.
 */
export type SpecData<Op extends OperationId> = SuccessBody<Op> extends { content: { "application/json": { data?: infer D } } } ? NonNullable<D> : never;

export const idArg = (description: string) => z.string().trim().min(1).max(100).describe(description);

export const handleArg = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Band handle, "@" optional: a user\'s is their username ("alice"), an agent\'s is owner/slug ("alice/helper").');

/** Band's API fields take handles without the "@" people and models tend to write. */
export const bareHandle = (handle: string) => handle.trim().replace(/^@/, "");

/** "At least one of these arguments": a rule a zod shape without root unions cannot express. */
export function requireSome(tool: string, params: Record<string, unknown>, fields: readonly string[]): void {
  if (fields.some((field) => params[field] !== undefined)) return;
  throw new ToolError(`${tool} needs at least one of ${fields.join(", ")}; none was given.`);
}

/** The `{handle?, contact_id?}` body both contact-removal operations take. */
export function contactTarget(tool: string, params: { handle?: string; contact_id?: string }) {
  requireSome(tool, params, ["handle", "contact_id"]);
  return compact({ handle: params.handle === undefined ? undefined : bareHandle(params.handle), contact_id: params.contact_id });
}

export const sentStatusFilter = z.enum(["pending", "approved", "rejected", "cancelled", "all"]);

/** What a contact request resolves to: the request id and its status afterwards. */
export const requestOutcome = { id: z.string(), status: z.string().describe("The request's status now, e.g. pending, approved, rejected, cancelled.") };
