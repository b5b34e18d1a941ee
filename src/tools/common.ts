import { z } from "zod";
import type { operations } from "../band/generated/openapi.js";
import type { OperationId } from "../band/generated/operations.js";
import type { BandResult } from "../band/http.js";
import { ToolError } from "./define.js";

/**
 * What a Band id looks like: a UUID, or a short word such as a task's board number. Anything else is refused
 * before a request is built: "." or ".." would be normalised away in the request path (RFC 3986), so
 * `chat_id: ".."` would reach a different endpoint. Bounded repetition keeps the check linear on huge input.
 */
const ID_SHAPE = /^(?!\.+$)[\w.:~-]{1,100}$/;
const ID_EXAMPLE = "3f2c9a1e-7b6d-4c5e-8f90-1a2b3c4d5e6f";

/** An id argument; a refusal repeats the description, which names the tool that lists valid ids. */
export const idArg = (description: string) =>
  z
    .string()
    .trim()
    .regex(ID_SHAPE, { error: (issue) => `${shown(issue.input)} is not an id. Ids look like "${ID_EXAMPLE}" (letters, digits, "-", "_", at most 100). ${description}` })
    .describe(description);

/** A value from the model, quoted for an error: short, and with control characters escaped by JSON. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Shared argument schemas, so every tool describes the same id the same way. */
export const chatId = idArg("From band_list_chats.");
export const messageId = idArg("From band_wait_for_message or band_list_messages.");

export const cursorInput = {
  cursor: z.string().max(2000).optional().describe("next_cursor from the previous page."),
  limit: z.number().int().min(1).max(100).optional().describe("Items per page."),
};

export const pageInput = {
  page: z.number().int().min(1).max(10_000).optional().describe("Page number, starting at 1."),
  page_size: z.number().int().min(1).max(100).optional().describe("Items per page."),
};

/** A Band object passed through as Band shaped it (the spec's fields, plus any Band adds later). */
export const bandObject = z.looseObject({});

export const listOutput = {
  items: z.array(bandObject),
  has_more: z.boolean().describe("True when more items exist: call again with next_cursor (or the next page)."),
  next_cursor: z.string().nullable().describe("Pass as cursor to get the next page; null on the last page."),
  total_count: z.number().int().optional(),
  page: z.number().int().optional(),
  total_pages: z.number().int().optional(),
};

type ListOutput = { items: Record<string, unknown>[]; has_more: boolean; next_cursor: string | null; total_count?: number; page?: number; total_pages?: number };

/** Normalises both of Band's pagination families (cursor and page, PROTOCOL.md §3) into one shape. */
export function toList(result: BandResult<unknown>): ListOutput {
  const items = Array.isArray(result.data) ? (result.data as Record<string, unknown>[]) : [];
  const meta = result.metadata ?? {};
  const num = (key: string) => (typeof meta[key] === "number" ? (meta[key] as number) : undefined);
  const nextCursor = typeof meta.next_cursor === "string" ? meta.next_cursor : null;
  const page = num("page");
  const totalPages = num("total_pages");
  const hasMore = typeof meta.has_more === "boolean" ? meta.has_more : page !== undefined && totalPages !== undefined ? page < totalPages : nextCursor !== null;
  return {
    items,
    has_more: hasMore,
    next_cursor: nextCursor,
    ...(num("total_count") !== undefined ? { total_count: num("total_count") } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(totalPages !== undefined ? { total_pages: totalPages } : {}),
  };
}

/** Drops undefined fields: Band rejects explicit nulls on fields that do not declare them (PROTOCOL.md §2 notes). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The JSON body an operation takes, per the spec: `satisfies RequestBody<"op">` catches a wrong wrapper at compile time. */
export type RequestBody<Op extends OperationId> = NonNullable<operations[Op]["requestBody"]> extends { content: { "application/json": infer B } } ? B : never;

/** Band's rule for room titles (PROTOCOL.md §2: at most 120 characters; newline, carriage return and NUL get 422). */
export const roomTitle = z.string().trim().min(1).max(120).regex(/^[^\r\n\0]*$/, "no line breaks");

/** Band's limit for an event's metadata, in bytes of its JSON (PROTOCOL.md §2, createAgentChatEvent). */
export const EVENT_METADATA_BYTES = 65_536;

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
