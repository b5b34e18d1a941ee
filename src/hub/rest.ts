import { z } from "zod";
import type { App } from "../app.js";
import type { InboxMessage } from "../inbox/live.js";
import { transcript } from "../inbox/sync.js";
import { cutMarker } from "../bounds.js";
import { redactJson } from "../redact.js";
import { chatId } from "../tools/common.js";
import sendAndWaitTool from "../tools/messages/band_send_and_wait.js";
import sendMessageTool from "../tools/messages/band_send_message.js";
import { contentInput, mentionsInput } from "../tools/messages/send.js";
import { selfId } from "../tools/self.js";
import { runTool, toolDeps } from "../tools/run.js";
import { restError, restFailure, type RestReply } from "./errors.js";

/**
 * The hub's plain REST surface, for backends that do not speak MCP. Sends go through the same tools as
 * band_send_message / band_send_and_wait (same mention resolution, same failures); only the framing and the wording (hub/errors.ts) differ.
 */

const sendBody = z.object({ chat_id: chatId, content: contentInput, mentions: mentionsInput.optional() });
const DEFAULT_SYNC_SECONDS = 120;

const syncBody = z.object({
  chat_id: chatId,
  content: contentInput,
  mentions: mentionsInput,
  timeout_seconds: z.number().int().min(1).max(300).default(DEFAULT_SYNC_SECONDS),
});


/**
 * POST /agents/<label>/messages: 202 once Band has the message. Without `mentions`, everyone else in the room.
 * A caller that hangs up does not cancel it: half-sent is worse than sent.
 */
export async function sendMessage(app: App, body: unknown): Promise<RestReply> {
  const signal = new AbortController().signal;
  const parsed = sendBody.safeParse(body);
  if (!parsed.success) return badRequest(parsed.error);
  const { chat_id, content } = parsed.data;
  const mentions = parsed.data.mentions ?? (await everyoneElse(app, chat_id, signal));
  if (!Array.isArray(mentions)) return mentions;
  const outcome = await runTool(sendMessageTool, { chat_id, content, mentions }, toolDeps(app), { signal });
  if (!outcome.ok) return failed(app, outcome.error, true);
  return { status: 202, body: { ok: true, message_id: (outcome.value as { message_id: string }).message_id } };
}

/** What a sync send follows besides its body: the caller, and the server. */
export interface SyncCall {
  /** The client went away: the send and the wait are cancelled. */
  gone: AbortSignal;
  /** The server is shutting down: the wait ends, and the caller hears so (the send itself is not cut). */
  stopping: AbortSignal;
}

/**
 * POST /agents/<label>/messages/sync: sends, then waits (default 120 s, at most 300) for the first reply from
 * anyone mentioned. The reply is handed out like any inbox message and marked processed once the answer is
 * written; if the client goes away first, it goes back to the inbox for the agent's other consumers.
 */
export async function sendSync(app: App, body: unknown, call: SyncCall): Promise<RestReply> {
  const parsed = syncBody.safeParse(body);
  if (!parsed.success) return badRequest(parsed.error);
  if (!app.live) return restError(400, "inbox_disabled", "This agent runs without the live inbox (BAND_LIVE=false), so it cannot wait for a reply: send with POST …/messages instead.");
  const state = app.live.status();
  if (state.connection === "conflict") return restError(409, "conflict", `Nothing was sent: agent in conflict (${state.detail ?? "another process holds this agent's Band connection"}); its replies go there.`);
  if (state.connection === "unauthorized") {
    const why = state.problem?.reason === "key_rejected" ? `HTTP ${state.problem.http_status}: set ${state.problem.key_variable} to a valid agent key and restart the hub` : (state.detail ?? "unauthorized");
    return restError(503, "unauthorized", `Nothing was sent: Band rejected this agent's key (${why}).`);
  }
  if (call.stopping.aborted) return stopping(false);
  const inbox = app.live.view({ owned: true });
  const release = () => void inbox.close({ requeue: false });
  call.stopping.addEventListener("abort", release, { once: true });
  const outcome = await runTool(sendAndWaitTool, parsed.data, toolDeps(app, inbox), { signal: call.gone });
  call.stopping.removeEventListener("abort", release);
  if (!outcome.ok) {
    await inbox.close({ requeue: true });
    return failed(app, outcome.error, true);
  }
  const result = outcome.value as { message_id: string; reply: InboxMessage | null; timed_out: boolean };
  if (call.stopping.aborted && !result.reply) return stopping(true, result.message_id);
  const after = async (written: boolean) => {
    if (!written || !result.reply) return inbox.close({ requeue: true });
    await inbox.markProcessed(result.reply.chat_id, result.reply.id).catch((e: unknown) => app.log.warn("could not mark a sync reply processed; it stays claimed until the next start", { error: String(e) }));
  };
  return { status: 200, body: { ...result, reply: result.reply && forCaller(result.reply) }, after };
}

/** GET /agents/<label>/chats/<chat_id>/transcript: the chat as this agent sees it, oldest first. */
export async function chatTranscript(app: App, chat: string): Promise<RestReply> {
  const id = chatId.safeParse(chat);
  if (!id.success) return badRequest(id.error);
  if (!app.agent) return restError(400, "no_agent_key", "This hub entry has no agent key.");
  try {
    const self = await selfId({ band: app.agent });
    const messages = (await transcript(app.agent, app.participants, id.data)).map((m) => ({
      id: m.id,
      sender: m.sender,
      role: m.sender.id === self ? "self" : m.sender.type.toLowerCase() === "agent" ? "agent" : "user",
      content: forCaller(m).content,
      created_at: m.created_at,
    }));
    return { status: 200, body: redactJson({ chat_id: id.data, messages }, app.redact).value };
  } catch (e) {
    return failed(app, e, false);
  }
}

/** A message for an HTTP caller: a text the inbox cut says so, and where the rest is. */
function forCaller(message: InboxMessage): Omit<InboxMessage, "cut_chars"> {
  if (message.cut_chars === undefined) return message;
  const { cut_chars, ...shown } = message;
  return { ...shown, content: message.content + cutMarker(cut_chars, "The whole message is in the chat on Band.") };
}

async function everyoneElse(app: App, chat: string, signal: AbortSignal): Promise<string[] | RestReply> {
  if (!app.agent) return restError(400, "no_agent_key", "This hub entry has no agent key.");
  try {
    // The cached id (not the live status, whose agent is null while the socket connects): never mention ourselves.
    const self = await selfId({ band: app.agent, signal });
    const others = (await app.participants.list(chat, signal)).filter((p) => p.id !== self).map((p) => p.id);
    if (others.length > 0) return others;
    return restError(400, "no_recipients", `Nothing was sent: nobody else is in chat ${chat}, and Band delivers a message only to those it mentions. Add someone to the room first.`);
  } catch (e) {
    return failed(app, e, false);
  }
}

/**
 * A sync send ended by the server's shutdown: 503, so the caller retries elsewhere. With a message id the
 * message was sent (its reply stays unprocessed on Band, for the agent's next process); without, nothing was.
 */
function stopping(sent: boolean, messageId?: string): RestReply {
  const what = sent
    ? `the message was sent (message_id ${messageId}) but its reply will not come back here: read it later from the chat's transcript, do not resend.`
    : "nothing was sent.";
  return { status: 503, body: { error: { code: "shutting_down", message: `The server is shutting down; ${what}`, maybe_sent: sent, ...(messageId ? { message_id: messageId } : {}) } } };
}

const failed = (app: App, error: unknown, send: boolean) => restFailure(error, { send, keyVariable: app.agentKeyVariable, redact: app.redact });

function badRequest(issues: z.ZodError): RestReply {
  const what = issues.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
  return restError(400, "bad_request", `Invalid request: ${what}.`);
}
