import { z } from "zod";
import { NoInboxError } from "../agent/errors.js";
import { MAX_CONTENT_CHARS, MAX_MENTION_CHARS, MAX_MENTIONS } from "../agent/send.js";
import { AgentService } from "../agent/service.js";
import { roleOf } from "../agent/transcript.js";
import type { App } from "../app.js";
import { showCut } from "../bounds.js";
import type { InboxMessage } from "../inbox/live.js";
import { redactJson } from "../redact.js";
import { restError, restFailure, type RestReply } from "./errors.js";

/**
 * The hub's plain REST surface, for backends that do not speak MCP. Sends, sync sends and transcripts are the
 * agent's actions (agent/service.ts), the same band_send_message and band_send_and_wait use (same mention
 * resolution, same failures); only the framing and the wording (hub/errors.ts) differ.
 */

const chatId = z.string().trim().min(1).max(100);
const content = z.string().trim().min(1).max(MAX_CONTENT_CHARS);
const mentions = z.array(z.string().trim().min(1).max(MAX_MENTION_CHARS)).min(1).max(MAX_MENTIONS);
const sendBody = z.object({ chat_id: chatId, content, mentions: mentions.optional() });
const DEFAULT_SYNC_SECONDS = 120;

const syncBody = z.object({
  chat_id: chatId,
  content,
  mentions,
  timeout_seconds: z.number().int().min(1).max(300).default(DEFAULT_SYNC_SECONDS),
});

/**
 * POST /agents/<label>/messages: 202 once Band has the message. Without `mentions`, everyone else in the room.
 * A caller that hangs up does not cancel it: half-sent is worse than sent.
 */
export async function sendMessage(app: App, body: unknown): Promise<RestReply> {
  const parsed = sendBody.safeParse(body);
  if (!parsed.success) return badRequest(parsed.error);
  if (!app.agent) return noAgentKey();
  const agent = new AgentService({ band: app.agent, participants: app.participants, live: app.live?.inbox });
  const { chat_id, content, mentions } = parsed.data;
  try {
    const sent = mentions ? await agent.send(chat_id, content, mentions) : await agent.sendToOthers(chat_id, content);
    return { status: 202, body: { ok: true, message_id: sent.message_id } };
  } catch (error) {
    return failed(app, error, true);
  }
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
  if (!app.live || !app.agent) return failed(app, new NoInboxError(), true);
  if (call.stopping.aborted) return stopping(false);
  const inbox = app.live.view({ owned: true });
  const agent = new AgentService({ band: app.agent, participants: app.participants, live: inbox });
  const release = () => void inbox.close({ requeue: false });
  call.stopping.addEventListener("abort", release, { once: true });
  const { chat_id, content, mentions, timeout_seconds } = parsed.data;
  try {
    const result = await agent.sendAndWait({ chatId: chat_id, content, mentions, timeoutMs: timeout_seconds * 1000, signal: call.gone });
    if (call.stopping.aborted && !result.reply) return stopping(true, result.message_id);
    const { reply } = result;
    const after = async (written: boolean) => {
      if (!written || !reply) return inbox.close({ requeue: true });
      await agent.mark(reply.chat_id, reply.id, { status: "processed" }).catch((e: unknown) => app.log.warn("could not mark a sync reply processed; it stays claimed until the next start", { error: String(e) }));
    };
    return { status: 200, body: redactJson({ ...result, reply: reply && forCaller(reply) }, app.redact).value, after };
  } catch (error) {
    await inbox.close({ requeue: true });
    return failed(app, error, true);
  } finally {
    call.stopping.removeEventListener("abort", release);
  }
}

/** GET /agents/<label>/chats/<chat_id>/transcript: the chat as this agent sees it, oldest first. */
export async function chatTranscript(app: App, chat: string): Promise<RestReply> {
  const id = chatId.safeParse(chat);
  if (!id.success) return badRequest(id.error);
  if (!app.agent) return noAgentKey();
  const agent = new AgentService({ band: app.agent, participants: app.participants, live: app.live?.inbox });
  try {
    const self = await agent.selfId();
    const messages = (await agent.transcript(id.data)).map((m) => ({ id: m.id, sender: m.sender, role: roleOf(m, self), content: forCaller(m).content, created_at: m.created_at }));
    return { status: 200, body: redactJson({ chat_id: id.data, messages }, app.redact).value };
  } catch (e) {
    return failed(app, e, false);
  }
}

/** A message for an HTTP caller: a text the inbox cut says so, and where the rest is. */
const forCaller = (message: InboxMessage) => showCut(message, "The whole message is in the chat on Band.");

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

const noAgentKey = () => restError(400, "no_agent_key", "This hub entry has no agent key.");

function badRequest(issues: z.ZodError): RestReply {
  const what = issues.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
  return restError(400, "bad_request", `Invalid request: ${what}.`);
}
