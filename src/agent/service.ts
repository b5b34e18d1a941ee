import type { BandClient } from "../band/http.js";
import type { MentionRef } from "../band/mentions.js";
import type { Participants } from "../band/participants.js";
import { markWithClaim, type Outcome } from "../inbox/claims.js";
import type { InboxMessage, LiveInbox } from "../inbox/live.js";
import { NoInboxError, NoRecipientsError, RepliesUnreachableError } from "./errors.js";
import { selfId } from "./self.js";
import { postMessage, resolveRecipients, type Sent } from "./send.js";
import { transcript } from "./transcript.js";

/** What the actions use: the agent's REST client, the room participants, and the inbox this caller reads (if live). */
export interface AgentDeps {
  band: BandClient;
  participants: Participants;
  live: LiveInbox | undefined;
}

export interface SendAndWaitOptions {
  chatId: string;
  content: string;
  mentions: readonly string[];
  timeoutMs: number;
  /** Cancels the send (before it is made) and the wait. */
  signal: AbortSignal;
  /** The message is out and the wait begins (for a progress report). */
  onSent?(recipients: readonly MentionRef[]): Promise<void> | void;
  /** Every few seconds while the wait is blocked. */
  onTick?(elapsedMs: number): void;
}

export interface SendAndWaitResult {
  message_id: string;
  reply: InboxMessage | null;
  timed_out: boolean;
  /** Band's agent.control interrupt ended the wait before a reply came. */
  interrupted?: true;
}

/** Connection states in which the inbox cannot receive a reply: send-and-wait refuses before sending. */
const DEAF = new Set(["conflict", "unauthorized"]);

/**
 * What an agent can do, for every front end: the MCP tools and the hub's REST call these, so a send, a
 * send-and-wait, a mark or a transcript behaves the same whoever asks. Returns facts; failures are typed
 * errors (agent/errors.ts, and the band and inbox layers' own), worded by the front end.
 */
export class AgentService {
  constructor(private readonly deps: AgentDeps) {}

  selfId(signal?: AbortSignal): Promise<string> {
    return selfId(this.deps.band, signal);
  }

  /** Resolves `mentions` against the room (never the agent itself). */
  async recipients(chatId: string, mentions: readonly string[], signal?: AbortSignal): Promise<MentionRef[]> {
    return resolveRecipients(this.deps.participants, chatId, mentions, await this.selfId(signal), signal);
  }

  async send(chatId: string, content: string, mentions: readonly string[], signal?: AbortSignal): Promise<Sent> {
    return postMessage(this.deps.band, chatId, content, await this.recipients(chatId, mentions, signal), signal);
  }

  /** A send to everyone else in the room; NoRecipientsError when the agent is alone there. */
  async sendToOthers(chatId: string, content: string, signal?: AbortSignal): Promise<Sent> {
    const self = await this.selfId(signal);
    const others = (await this.deps.participants.list(chatId, signal)).filter((p) => p.id !== self).map((p) => p.id);
    if (others.length === 0) throw new NoRecipientsError(chatId);
    return this.send(chatId, content, others, signal);
  }

  /**
   * Sends, then waits up to `timeoutMs` for the first reply in that chat from anyone mentioned; the reply is
   * handed out (claimed) like any inbox message. Refuses before sending when the inbox cannot hear the reply.
   */
  async sendAndWait(options: SendAndWaitOptions): Promise<SendAndWaitResult> {
    const { live } = this.deps;
    if (!live) throw new NoInboxError();
    const status = live.status();
    if (DEAF.has(status.connection)) throw new RepliesUnreachableError(status);
    const { chatId, signal } = options;
    const recipients = await this.recipients(chatId, options.mentions, signal);
    const awaited = new Set(recipients.map((r) => r.id));
    // Messages already queued were written before the question, so they are not answers to it. Anything newer
    // stays queued until the wait below takes it, so a reply that beats the send's response is not missed.
    const earlier = new Set(live.peek(chatId).map((m) => m.id));
    const { message_id } = await postMessage(this.deps.band, chatId, options.content, recipients, signal);
    await options.onSent?.(recipients);
    const { messages, timed_out, interrupted } = await live.wait({
      timeoutMs: options.timeoutMs,
      chatId,
      max: 1,
      signal,
      accept: (m) => awaited.has(m.sender.id) && !earlier.has(m.id),
      ...(options.onTick ? { onTick: options.onTick } : {}),
    });
    return { message_id, reply: messages[0] ?? null, timed_out, ...(interrupted ? { interrupted } : {}) };
  }

  /**
   * Marks a message processed or failed: through the live inbox when there is one (it knows its claims), else
   * straight through REST. Either way a message nobody claimed yet is claimed first, so a mark means the same.
   */
  mark(chatId: string, messageId: string, outcome: Outcome, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    const { live } = this.deps;
    if (!live) return markWithClaim(this.deps.band, chatId, messageId, outcome, signal);
    return outcome.status === "processed" ? live.markProcessed(chatId, messageId, signal) : live.markFailed(chatId, messageId, outcome.error, signal);
  }

  /** Opens a processing attempt on Band (the raw lifecycle; the live inbox claims what it hands out by itself). */
  async markProcessing(chatId: string, messageId: string, signal?: AbortSignal) {
    const { data } = await this.deps.band.call("markAgentMessageProcessing", { path: { chat_id: chatId, id: messageId }, ...(signal ? { signal } : {}) });
    return data;
  }

  /** The chat's transcript, oldest first (see agent/transcript.ts). */
  transcript(chatId: string): Promise<InboxMessage[]> {
    return transcript(this.deps.band, this.deps.participants, chatId);
  }
}
