import { z } from "zod";
import type { InboxMessage } from "../inbox/live.js";

/** Claude Code's permission request ids: five letters a–z without "l" (it reads like "1" and "I" on a phone). */
const REQUEST_ID = /^[a-km-z]{5}$/;

/** What Claude Code sends as notifications/claude/channel/permission_request; anything else is ignored. */
export const permissionRequest = z.object({
  request_id: z.string().regex(REQUEST_ID, "is not five letters a-z without l"),
  tool_name: z.string().min(1).max(200),
  description: z.string().max(10_000),
  input_preview: z.string().max(10_000),
});
export type PermissionRequest = z.infer<typeof permissionRequest>;

export type Behavior = "allow" | "deny";

/**
 * "yes abcde" / "no abcde", case-insensitive, with mention tokens ignored wherever they stand (Band only
 * delivers messages that @mention the agent, so a real answer always carries one). Nothing else: a bare
 * "yes", or an id inside a sentence, is conversation, not a verdict.
 */
export function parseVerdict(content: string): { requestId: string; behavior: Behavior } | undefined {
  const words = content.split(/\s+/).filter((word) => word !== "" && !word.startsWith("@"));
  if (words.length !== 2) return undefined;
  const [answer, id] = [words[0]!.toLowerCase(), words[1]!.toLowerCase()];
  if ((answer !== "yes" && answer !== "no") || !REQUEST_ID.test(id)) return undefined;
  return { requestId: id, behavior: answer === "yes" ? "allow" : "deny" };
}

/**
 * Whether the sender is one of the approvers, judged by who sent it (the sender's Band id, or the handle Band
 * holds for that id), never by the room it was sent in.
 */
export function isApprover(approvers: readonly string[], sender: InboxMessage["sender"]): boolean {
  const id = sender.id.toLowerCase();
  const handle = sender.handle?.toLowerCase();
  return approvers.some((approver) => approver === id || (handle !== undefined && approver === handle));
}

const PREVIEW_LIMIT = 1_000;

const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** The request as posted on Band: what Claude wants to do, and the exact words that answer it. */
export function requestText(request: PermissionRequest, agentHandle: string): string {
  const preview = request.input_preview.trim();
  return [
    `Claude Code asks for permission to use ${request.tool_name}: ${clip(request.description.trim(), PREVIEW_LIMIT)}`,
    ...(preview ? [`Input: ${clip(preview, PREVIEW_LIMIT)}`] : []),
    `Answer "@${agentHandle} yes ${request.request_id}" to allow or "@${agentHandle} no ${request.request_id}" to deny. The first answer, here or in the terminal, wins.`,
  ].join("\n");
}
