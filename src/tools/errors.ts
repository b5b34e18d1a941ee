import { NoInboxError, RepliesUnreachableError } from "../agent/errors.js";
import { BandApiError } from "../band/http.js";
import { InvalidPathValueError } from "../band/paths.js";
import { MentionError } from "../band/mentions.js";
import { InboxOffError, UnknownChatError } from "../inbox/errors.js";
import { ToolError, type ToolDefinition } from "./define.js";
import { describeConnectionTrouble, describeStandby } from "./inbox/status-words.js";

/**
 * What each of Band's 422 codes means for the model, and what to do about it (PROTOCOL.md §2–§4). A Map, because
 * codes come from Band: on a plain object, "__proto__" or "toString" would find Object.prototype's members.
 */
const VALIDATION_CODES = new Map<string, string>(Object.entries({
  mentions_required: "Band delivers a message only to participants it mentions: pass at least one in `mentions` (see {list_participants}).",
  cannot_mention_self: "An agent cannot mention itself: remove your own handle from `mentions`.",
  duplicate_mentions: "The same participant is mentioned twice: list each participant once in `mentions`.",
  mentioned_participant_not_in_room: "A mentioned participant is not in this room: add them first with {add_participant}, or check {list_participants}.",
  invalid_mention_kind: "A mention's kind must be \"mention\" or \"reference\".",
  handle_not_found: "A mentioned handle does not exist on Band: check the spelling with {list_participants}.",
  mention_missing_identifier: "Every mention needs an id or a handle: use {list_participants} to find them.",
  validation_error: "Band rejected a field's value; fix it as the details say and call again.",
  limit_reached: "Your Band plan's limit for this is reached: free something up or upgrade the plan; retrying will not help.",
  cannot_remove_sole_owner: "The room's only owner cannot be removed: make someone else owner first.",
}));

/** The advice for a 422 code, naming the participant tools of the tool's own side (agent or human). */
function adviceFor(code: string | undefined, tool: ToolDefinition): string | undefined {
  const text = code === undefined ? undefined : VALIDATION_CODES.get(code);
  const prefix = tool.toolset === "human" ? "band_me_" : "band_";
  return text?.replaceAll("{list_participants}", `${prefix}list_participants`).replaceAll("{add_participant}", `${prefix}add_participant`);
}

export interface FailureContext {
  /** The setting that holds the key this tool used, named when Band rejects the key. */
  keyVariable: string;
}

/** The one place that turns any failure into the text of an `isError` result. Never includes a raw body. */
export function describeFailure(error: unknown, tool: ToolDefinition, params: Record<string, unknown>, ctx: FailureContext): string {
  if (error instanceof ToolError) return error.message;
  if (error instanceof InvalidPathValueError) return `${JSON.stringify(error.value)} is not a valid ${error.parameter}: Band ids look like "3f2c9a1e-7b6d-4c5e-8f90-1a2b3c4d5e6f". Nothing was sent.`;
  if (error instanceof InboxOffError) return describeInboxOff(error, ctx.keyVariable);
  if (error instanceof NoInboxError) return "The live inbox is off (BAND_LIVE=false). Set BAND_LIVE=true and restart to receive messages; band_list_messages still reads chats.";
  if (error instanceof RepliesUnreachableError) return describeUnreachable(error);
  if (error instanceof MentionError) return describeMentions(error, tool);
  if (error instanceof UnknownChatError) return `You are not in a chat with id "${error.chatId}", so no message can arrive from it. Find your chats with band_list_chats.`;
  if (error instanceof BandApiError) return describeBandError(error, tool, params, ctx);
  if (error instanceof Error && error.name === "AbortError") return `${tool.name} was cancelled before it finished.`;
  return `${tool.name} failed unexpectedly (${error instanceof Error ? error.message : String(error)}). The server stays up; try again, and report this if it repeats.`;
}

function describeMentions(error: MentionError, tool: ToolDefinition): string {
  const prefix = tool.toolset === "human" ? "band_me_" : "band_";
  if (error.problems.length === 0) {
    return `mentions must name at least one participant: Band delivers a message only to those it mentions. Use ${prefix}list_participants to see who is in the room.`;
  }
  const roster = error.roster.length ? error.roster.join("; ") : `nobody else (add someone with ${prefix}add_participant)`;
  return `Cannot resolve mentions: ${error.problems.join("; ")}. In this room: ${roster}.`;
}

function describeInboxOff(error: InboxOffError, keyVariable: string): string {
  if (error.reason === "conflict") {
    const standby = error.standby ? ` ${describeStandby(error.standby)}.` : "";
    return `The inbox is off: ${error.detail ?? "another process holds this agent's Band connection"}. Band allows one live connection per agent, and the other process is serving it now.${standby} Nothing is lost: Band keeps every unprocessed message for whichever process holds the connection. REST tools keep working meanwhile.`;
  }
  return `The inbox is off: ${error.detail ?? "Band rejected the agent key"}. Set ${keyVariable} to a valid agent key and restart the server.`;
}

function describeUnreachable({ status }: RepliesUnreachableError): string {
  const why = describeConnectionTrouble(status) || status.connection;
  return `Nothing was sent: the inbox cannot receive replies (${why}). Send with band_send_message instead and read answers later with band_list_messages; band_status says how to fix the connection.`;
}

function describeBandError(error: BandApiError, tool: ToolDefinition, params: Record<string, unknown>, ctx: FailureContext): string {
  const said = error.bandMessage ? ` Band said: "${error.bandMessage}".` : "";
  const ref = error.requestId ? ` (request id ${error.requestId})` : "";
  const retried = error.retries > 0 ? ` It was retried ${error.retries} time${error.retries === 1 ? "" : "s"}.` : "";
  const mayHaveLanded = error.mayHaveLanded ? " It may have been carried out on Band all the same: check (with the matching list or get tool) before calling again." : "";
  switch (true) {
    case error.code === "not_json":
      return `Band ${error.bandMessage}. That is usually a proxy, a login page or a wrong BAND_BASE_URL rather than Band's API: check BAND_BASE_URL and the proxy settings.${mayHaveLanded}`;
    case error.code === "response_too_large":
      return `Band's answer to ${error.operation} was too large: ${error.bandMessage}. Ask for less (a smaller limit or page_size).${mayHaveLanded}`;
    case error.status === 0:
      return `Could not reach Band (${error.bandMessage ?? error.code}).${retried}${mayHaveLanded} Check the network and BAND_BASE_URL (or the proxy settings), then try again; band_status shows the connection.`;
    case error.status === 401:
      return `Band rejected the API key (401 Unauthorized)${ref}. Set ${ctx.keyVariable} to a valid key and restart the server.`;
    case error.status === 403: {
      if (error.code === "limit_reached") return `Band refused: ${VALIDATION_CODES.get("limit_reached")}${said}${ref}`;
      return `Band refused this (403 Forbidden${error.code ? `, ${error.code}` : ""}).${said} If the key is the wrong kind, set ${ctx.keyVariable} to the right one; otherwise this identity lacks permission here (for example not the room's owner, or stopped in this room).${ref}`;
    }
    case error.status === 404: {
      const ids = Object.entries(tool.idSources ?? {})
        .filter(([name]) => params[name] !== undefined)
        .map(([name, source]) => `${name} "${String(params[name])}" (find valid ones with ${source})`);
      const which = ids.length ? ids.join(" or ") : "the id you gave";
      return `Band found nothing for ${which}, or this identity is not a participant there (404).${said}${ref}`;
    }
    case error.status === 409:
      return `Band reports a conflict (409${error.code ? `, ${error.code}` : ""}): the thing already exists or was already resolved.${said}${ref}`;
    case error.status === 422 || error.status === 400: {
      const advice = adviceFor(error.code, tool) ?? "Band rejected the arguments; fix them and call again.";
      return `Band rejected the request (${error.status}${error.code ? ` ${error.code}` : ""}): ${advice}${said}${formatDetails(error.details)}${ref}`;
    }
    case error.status === 429:
      return `Band is rate limiting (429).${retried} Wait ${error.retryAfter !== undefined ? `${Math.ceil(error.retryAfter)} s` : "a little"} before calling again.${ref}`;
    case error.status >= 500:
      return `Band had a server error (${error.status}).${retried}${mayHaveLanded} This is on Band's side: try again in a minute.${ref}`;
    default:
      return `Band answered ${error.status}${error.code ? ` (${error.code})` : ""}.${said}${ref}`;
  }
}

/** Band's per-field validation details, bounded, as one sentence. */
export function formatDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return "";
  const parts = Object.entries(details)
    .slice(0, 10)
    .map(([field, problems]) => `${field}: ${Array.isArray(problems) ? problems.map(String).join(", ") : String(problems)}`);
  return parts.length ? ` Details: ${parts.join("; ").slice(0, 600)}.` : "";
}
