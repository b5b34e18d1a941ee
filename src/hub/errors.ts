import { NoInboxError, NoRecipientsError, RepliesUnreachableError } from "../agent/errors.js";
import { BandApiError } from "../band/http.js";
import { MentionError } from "../band/mentions.js";
import { InvalidPathValueError } from "../band/paths.js";
import { InboxOffError, UnknownChatError } from "../inbox/errors.js";
import type { Redact } from "../redact.js";
import { formatDetails } from "../tools/errors.js";

/**
 * Failures of the hub's REST surface, worded for the developer of the backend that called it: an HTTP status,
 * a code to branch on, a message that names no tool. tools/errors.ts words the same failures for a model.
 */

export interface RestError {
  status: 400 | 403 | 404 | 409 | 503;
  code: string;
  message: string;
  /** For a send that failed: whether Band may have carried it out anyway (a lost answer), so a retry may duplicate. */
  maybe_sent?: boolean;
  /** The message that was sent, when a sync send ended without its reply. */
  message_id?: string;
}

export type RestReply =
  | {
      status: 200 | 202;
      body: unknown;
      /** To run once the answer is written (`true`) or the client is gone (`false`); the request lasts until it ends. */
      after?: (written: boolean) => Promise<void>;
    }
  | { status: RestError["status"]; body: { error: Omit<RestError, "status"> } };

export function restError(status: RestError["status"], code: string, message: string, extra: { maybe_sent?: boolean } = {}): RestReply {
  return { status, body: { error: { code, message, ...extra } } };
}

export interface FailureOptions {
  /** A send (`maybe_sent` is reported) rather than a read. */
  send: boolean;
  /** The setting that holds this agent's key, named when Band rejects it. */
  keyVariable: string;
  redact: Redact;
}

/** A failed send, sync or transcript as an HTTP answer: what the caller must fix (4xx) or what is wrong with Band (503). */
export function restFailure(error: unknown, options: FailureOptions): RestReply {
  const { send, redact } = options;
  if (error instanceof BandApiError) {
    const [status, code, message] = describeBandError(error, options.keyVariable);
    const maybe = error.mayHaveLanded;
    const suffix = !send ? "" : maybe ? " Band may have carried out the send: check the chat's transcript before retrying." : " Nothing was sent.";
    return restError(status, code, redact(message + suffix), send ? { maybe_sent: maybe } : {});
  }
  const notSent = send ? { maybe_sent: false } : {};
  if (error instanceof MentionError) {
    const problems = error.problems.length ? error.problems.join("; ") : "mentions name nobody";
    return restError(400, "unresolved_mention", redact(`Cannot resolve mentions: ${problems}. In this room: ${error.roster.join("; ") || "nobody else"}.`), notSent);
  }
  if (error instanceof UnknownChatError) return restError(404, "not_found", `This agent is not in chat ${error.chatId}.`, notSent);
  if (error instanceof InboxOffError) {
    const why = error.detail ?? (error.reason === "conflict" ? "another process holds this agent's Band connection" : "Band rejected the agent key");
    return restError(error.reason === "conflict" ? 409 : 503, error.reason, redact(`This agent's live inbox is off: ${why}.`), notSent);
  }
  if (error instanceof InvalidPathValueError) return restError(400, "bad_request", redact(error.message), notSent);
  if (error instanceof NoRecipientsError) {
    return restError(400, "no_recipients", `Nothing was sent: nobody else is in chat ${error.chatId}, and Band delivers a message only to those it mentions. Add someone to the room first.`, notSent);
  }
  if (error instanceof NoInboxError) {
    return restError(400, "inbox_disabled", "This agent runs without the live inbox (BAND_LIVE=false), so it cannot wait for a reply: send with POST …/messages instead.", notSent);
  }
  if (error instanceof RepliesUnreachableError) return describeUnreachable(error, options.keyVariable, redact);
  const what = error instanceof Error ? error.message : String(error);
  return restError(503, "failed", redact(`The hub could not complete this (${what}).`), send ? { maybe_sent: true } : {});
}

/** A sync send refused before sending: the agent's inbox cannot receive the reply. */
function describeUnreachable({ status }: RepliesUnreachableError, keyVariable: string, redact: Redact): RestReply {
  if (status.connection === "conflict") {
    return restError(409, "conflict", redact(`Nothing was sent: agent in conflict (${status.detail ?? "another process holds this agent's Band connection"}); its replies go there.`), { maybe_sent: false });
  }
  const why = status.problem?.reason === "key_rejected" ? `HTTP ${status.problem.http_status}: set ${keyVariable} to a valid agent key and restart the hub` : (status.detail ?? "unauthorized");
  return restError(503, "unauthorized", redact(`Nothing was sent: Band rejected this agent's key (${why}).`), { maybe_sent: false });
}

function describeBandError(error: BandApiError, keyVariable: string): [RestError["status"], string, string] {
  const said = error.bandMessage ? ` Band said: "${error.bandMessage}".` : "";
  const code = error.code ? `, ${error.code}` : "";
  switch (true) {
    case error.status === 404:
      return [404, "not_found", `Band found nothing there, or this agent is not in that chat (404).${said}`];
    case error.status === 401:
      return [503, "unauthorized", `Band rejected this agent's key (401): set ${keyVariable} to a valid agent key and restart the hub.`];
    case error.status === 403:
      return [403, error.code ?? "forbidden", `Band refused this (403${code}): this agent may not do it there.${said}`];
    case error.status === 400 || error.status === 422:
      return [400, error.code ?? "rejected", `Band rejected the request (${error.status}${code}).${said}${formatDetails(error.details)}`];
    case error.status === 0:
      return [503, "band_unreachable", `Could not reach Band (${error.bandMessage ?? error.code}).`];
    case error.status === 429:
      return [503, "band_unavailable", `Band is rate limiting this agent (429): retry in ${error.retryAfter !== undefined ? `${Math.ceil(error.retryAfter)} s` : "a little while"}.`];
    default:
      return [503, "band_unavailable", `Band answered ${error.status}${code}.${said}`];
  }
}
